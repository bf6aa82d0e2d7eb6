import { z } from 'zod';
import { BrokerError, BrokerErrorCode } from './broker.errors';

/**
 * The longest OSB id the brokers take. Cloud Foundry sends guids (36 characters), other platforms
 * UUIDs or DNS names; 100 leaves room for any of them while keeping every name made from an id
 * (an ACL user, a line of an auth file, a log line) short.
 */
export const OSB_ID_MAX_LENGTH = 100;

/**
 * What an OSB id may be made of: letters, digits, '.', '_' and '-'. The spec allows any string;
 * the brokers refuse the rest (400) because ids become parts of user names, credentials and
 * container labels, and nothing a platform legitimately sends needs more.
 */
export const OSB_ID_PATTERN = /^[A-Za-z0-9._-]+$/;

const RULE = `1 to ${OSB_ID_MAX_LENGTH} characters of letters, digits, '.', '_' and '-'`;

/** True when `value` is an id the brokers take. */
export function isOsbId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length >= 1 &&
    value.length <= OSB_ID_MAX_LENGTH &&
    OSB_ID_PATTERN.test(value)
  );
}

/** An id of a request body or query (service_id, plan_id, the guids of the context). */
export const osbId = z.string().refine(isOsbId, `must be ${RULE}`);

/**
 * An id of the URL (instance_id, binding_id), or OSB's 400 naming the field. The value itself is
 * not repeated: it may hold anything, newlines included.
 */
export function requireOsbId(field: string, value: unknown): string {
  if (isOsbId(value)) return value;
  throw new BrokerError(BrokerErrorCode.BadRequest, `Malformed ${field}: it must be ${RULE}.`);
}
