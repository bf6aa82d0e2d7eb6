import type { OsbResponse } from './osb-client';

/**
 * How the platform reads a broker's answer to each operation (OSB v2.17). `mitigate` marks the
 * outcomes the spec's orphan-mitigation table lists for provision and bind: the broker may have
 * created something the platform will not record (5xx, timeout, an unexpected 2xx, a 2xx whose
 * body is malformed), so the platform deletes it. Never after a 4xx, never for updates or deletes.
 */
export type CreateOutcome =
  | { kind: 'done'; body: Record<string, unknown> }
  | Accepted
  | { kind: 'failed'; description: string; mitigate: boolean };

/** 202 Accepted: the broker is at work; the platform polls, echoing the operation it named. */
export type Accepted = {
  kind: 'async';
  operation: string | null;
  retryAfterSeconds: number | null;
};

export type DeleteOutcome =
  { kind: 'done'; gone: boolean } | Accepted | { kind: 'failed'; description: string };

export type UpdateOutcome =
  | { kind: 'done'; body: Record<string, unknown> }
  | Accepted
  | { kind: 'failed'; description: string };

export type PollOutcome =
  | { kind: 'in progress'; description: string | null; retryAfterSeconds: number | null }
  | { kind: 'succeeded'; description: string | null }
  | { kind: 'failed'; description: string | null }
  /** 410 Gone: for a delete this is success; for anything else the resource vanished. */
  | { kind: 'gone' }
  /** No usable answer this time (unreachable, 5xx, malformed): poll again later. */
  | { kind: 'retry'; reason: string; retryAfterSeconds: number | null };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** "The broker answered 500: {error}: {description}" in words a user can act on. */
export function describeAnswer(res: OsbResponse): string {
  if (res.kind === 'unreachable') return `The service broker could not be reached: ${res.reason}.`;
  if (res.malformed)
    return `The service broker returned an invalid response (status ${res.status}).`;
  const body = isObject(res.body) ? res.body : {};
  const parts = [body.error, body.description].filter(
    (p): p is string => typeof p === 'string' && p !== '',
  );
  return `The service broker returned status ${res.status}${parts.length ? `: ${parts.join(': ')}` : '.'}`;
}

function operationOf(body: unknown): string | null {
  return isObject(body) && typeof body.operation === 'string' ? body.operation : null;
}

function accepted(res: Extract<OsbResponse, { kind: 'answered' }>): Accepted {
  return {
    kind: 'async',
    operation: operationOf(res.body),
    retryAfterSeconds: res.retryAfterSeconds,
  };
}

/** Provision (PUT service_instances/:id) and bind (PUT …/service_bindings/:id). */
export function createOutcome(res: OsbResponse, what: 'provision' | 'bind'): CreateOutcome {
  if (res.kind === 'unreachable')
    return { kind: 'failed', description: describeAnswer(res), mitigate: true };
  const { status } = res;
  if (status === 200 || status === 201) {
    if (res.malformed || !isObject(res.body))
      return {
        kind: 'failed',
        description: describeAnswer({ ...res, malformed: true }),
        mitigate: true,
      };
    if (what === 'bind' && res.body.credentials !== undefined && !isObject(res.body.credentials))
      return {
        kind: 'failed',
        description: 'The service broker returned credentials that are not a JSON object.',
        mitigate: true,
      };
    return { kind: 'done', body: res.body };
  }
  if (status === 202) {
    if (res.malformed || (res.body !== undefined && !isObject(res.body)))
      return {
        kind: 'failed',
        description: describeAnswer({ ...res, malformed: true }),
        mitigate: true,
      };
    return accepted(res);
  }
  if (status === 409)
    return {
      kind: 'failed',
      description: `${describeAnswer(res)} (the broker already has a ${what === 'bind' ? 'binding' : 'service instance'} with this id and other attributes)`,
      mitigate: false,
    };
  if (status >= 400 && status < 500 && status !== 408)
    return { kind: 'failed', description: describeAnswer(res), mitigate: false };
  return { kind: 'failed', description: describeAnswer(res), mitigate: true };
}

/**
 * Update and delete: what `done` accepts, a well-formed 202 polls, anything else fails. Nothing is
 * orphan-mitigated: the platform already records the resource.
 */
function settledOrAccepted<D>(
  res: OsbResponse,
  done: (res: Extract<OsbResponse, { kind: 'answered' }>) => D | null,
): D | Accepted | { kind: 'failed'; description: string } {
  if (res.kind === 'unreachable') return { kind: 'failed', description: describeAnswer(res) };
  const settled = done(res);
  if (settled) return settled;
  if (res.status === 202 && !res.malformed) return accepted(res);
  return { kind: 'failed', description: describeAnswer(res) };
}

/** Deprovision and unbind: 410 means it is already gone, which is what was asked. */
export function deleteOutcome(res: OsbResponse): DeleteOutcome {
  return settledOrAccepted(res, ({ status }) => {
    if (status === 200 || status === 204) return { kind: 'done', gone: false } as const;
    return status === 410 ? ({ kind: 'done', gone: true } as const) : null;
  });
}

/** Update (PATCH service_instances/:id). */
export function updateOutcome(res: OsbResponse): UpdateOutcome {
  return settledOrAccepted(res, (a) =>
    a.status === 200 && !a.malformed
      ? ({ kind: 'done', body: isObject(a.body) ? a.body : {} } as const)
      : null,
  );
}

/**
 * The answer to the request that carries an operation of type `type`, in the one shape the
 * operation machine follows: a delete's `done` has an empty body, and only creates mitigate.
 */
export function sendOutcome(
  type: 'create' | 'update' | 'delete',
  res: OsbResponse,
  what: 'provision' | 'bind',
): CreateOutcome {
  if (type === 'create') return createOutcome(res, what);
  const outcome = type === 'update' ? updateOutcome(res) : deleteOutcome(res);
  if (outcome.kind === 'failed') return { ...outcome, mitigate: false };
  if (outcome.kind === 'done') return { kind: 'done', body: 'body' in outcome ? outcome.body : {} };
  return outcome;
}

/** GET …/last_operation. */
export function pollOutcome(res: OsbResponse): PollOutcome {
  if (res.kind === 'unreachable')
    return { kind: 'retry', reason: describeAnswer(res), retryAfterSeconds: null };
  if (res.status === 410) return { kind: 'gone' };
  if (res.status !== 200 || res.malformed || !isObject(res.body))
    return { kind: 'retry', reason: describeAnswer(res), retryAfterSeconds: res.retryAfterSeconds };
  const description = typeof res.body.description === 'string' ? res.body.description : null;
  switch (res.body.state) {
    case 'in progress':
      return { kind: 'in progress', description, retryAfterSeconds: res.retryAfterSeconds };
    case 'succeeded':
      return { kind: 'succeeded', description };
    case 'failed':
      return { kind: 'failed', description };
    default:
      return {
        kind: 'retry',
        reason: `The service broker returned an unknown state: ${JSON.stringify(res.body.state)}.`,
        retryAfterSeconds: res.retryAfterSeconds,
      };
  }
}
