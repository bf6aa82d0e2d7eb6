import { z } from 'zod';

const schemaObject = z.record(z.string(), z.unknown());
const parametersSchema = z.object({ parameters: schemaObject.optional() }).optional();

const plan = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  description: z.string(),
  free: z.boolean().optional(),
  bindable: z.boolean().optional(),
  plan_updateable: z.boolean().optional(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  maximum_polling_duration: z.number().int().positive().optional(),
  maintenance_info: z
    .object({ version: z.string(), description: z.string().optional() })
    .optional(),
  schemas: z
    .object({
      service_instance: z.object({ create: parametersSchema, update: parametersSchema }).optional(),
      service_binding: z.object({ create: parametersSchema }).optional(),
    })
    .optional(),
});

const offering = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  description: z.string(),
  bindable: z.boolean(),
  tags: z.array(z.string()).optional(),
  requires: z.array(z.string()).optional(),
  instances_retrievable: z.boolean().optional(),
  bindings_retrievable: z.boolean().optional(),
  allow_context_updates: z.boolean().optional(),
  plan_updateable: z.boolean().optional(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  plans: z.array(plan).min(1),
});

const catalog = z.object({ services: z.array(offering) });

export type OsbCatalog = z.infer<typeof catalog>;
export type OsbCatalogOffering = z.infer<typeof offering>;
export type OsbCatalogPlan = z.infer<typeof plan>;

/**
 * Checks a broker's catalog as Cloud Foundry does before accepting it: the required fields, unique
 * offering ids and names, unique plan ids and plan names per offering. Returns the problems in
 * words (for the job's error), or the catalog.
 */
export function parseCatalog(body: unknown): { catalog: OsbCatalog } | { problems: string[] } {
  const parsed = catalog.safeParse(body);
  if (!parsed.success)
    return {
      problems: parsed.error.issues
        .slice(0, 10)
        .map((i) => `${i.path.join('.') || 'catalog'}: ${i.message}`),
    };
  const problems: string[] = [];
  const seen = (values: string[], what: string) => {
    const dup = values.filter((v, i) => values.indexOf(v) !== i);
    if (dup.length) problems.push(`${what} must be unique: ${[...new Set(dup)].join(', ')}`);
  };
  const offerings = parsed.data.services;
  seen(
    offerings.map((o) => o.id),
    'service ids',
  );
  seen(
    offerings.map((o) => o.name),
    'service names',
  );
  seen(
    offerings.flatMap((o) => o.plans.map((p) => p.id)),
    'plan ids',
  );
  for (const o of offerings)
    seen(
      o.plans.map((p) => p.name),
      `plan names of service ${o.name}`,
    );
  return problems.length ? { problems } : { catalog: parsed.data };
}
