import type { Visibility } from './visibility';

/** Who is calling, as proven by a verified access token, with what their roles let them see. */
export interface Principal {
  userGuid: string;
  username: string;
  admin: boolean;
  scopes: string[];
  visibility: Visibility;
  /** The API request this caller is making (X-Vcap-Request-Id), recorded on audit events. */
  requestId?: string;
}
