import type { AuditActor } from '@wharf/events';
import type { Principal } from '@wharf/access';

/** The user behind a request, as audit events name them. */
export const actorOf = (p: Principal): AuditActor => ({
  guid: p.userGuid,
  type: 'user',
  name: p.username,
  requestId: p.requestId,
});
