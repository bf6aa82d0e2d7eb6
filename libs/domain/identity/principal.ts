/** Who is calling, as proven by a verified access token. */
export interface Principal {
  userGuid: string;
  username: string;
  admin: boolean;
  scopes: string[];
}
