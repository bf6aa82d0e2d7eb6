import { z } from 'zod';
import { BrokerError, BrokerErrorCode } from './broker.errors';
import { osbId } from './osb-ids';

/** Every id of a body or query, like those of the URL (see OsbIdsGuard). */
const id = osbId;
const object = z.record(z.string(), z.unknown());

/** Provision (PUT /v2/service_instances/:id); unknown fields are ignored, as OSB asks. */
export const provisionBody = z.object({
  service_id: id,
  plan_id: id,
  organization_guid: id,
  space_guid: id,
  context: object.optional(),
  parameters: object.optional(),
  maintenance_info: z.object({ version: z.string() }).optional(),
});
export type ProvisionBody = z.infer<typeof provisionBody>;

/** Update (PATCH): `plan_id` and `parameters` only when they change. */
export const updateBody = z.object({
  service_id: id,
  plan_id: id.optional(),
  context: object.optional(),
  parameters: object.optional(),
  previous_values: object.optional(),
  maintenance_info: z.object({ version: z.string() }).optional(),
});
export type UpdateBody = z.infer<typeof updateBody>;

export const bindBody = z.object({
  service_id: id,
  plan_id: id,
  app_guid: id.optional(),
  bind_resource: z.object({ app_guid: id.optional(), route: z.string().optional() }).optional(),
  context: object.optional(),
  parameters: object.optional(),
  predecessor_binding_id: id.optional(),
});
export type BindBody = z.infer<typeof bindBody>;

/** DELETE of an instance or a binding: OSB makes both ids required. */
export const deleteQuery = z.object({ service_id: id, plan_id: id });
export type DeleteQuery = z.infer<typeof deleteQuery>;

/** Parses a request part, or fails with OSB's 400 naming what is wrong. */
export function parseRequest<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .map((i) => `${i.path.join('.') || what}: ${i.message}`)
    .join('; ');
  throw new BrokerError(BrokerErrorCode.BadRequest, `Malformed ${what}: ${problems}`);
}

/** `accepts_incomplete=true` exactly; anything else means the caller cannot poll. */
export function acceptsIncomplete(value: unknown): boolean {
  return value === 'true';
}
