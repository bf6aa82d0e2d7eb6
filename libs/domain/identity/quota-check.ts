import type { QuotaLimits } from './quota-limits.columns';

/** The quotas that apply in a space: its organization's, and the space's own when it has one. */
export interface EffectiveQuota {
  organizationGuid: string;
  /** Every space of the organization: what the organization's usage is counted over. */
  organizationSpaceGuids: string[];
  organization: { name: string; limits: QuotaLimits };
  space: { name: string; limits: QuotaLimits } | null;
}

export type QuotaOwner = 'organization' | 'space';
export type QuotaTotalKind = 'memory' | 'instances' | 'service_instances' | 'routes';
export type QuotaLimitKind = QuotaTotalKind | 'instance_memory' | 'paid_plans';

/** A refused change: which quota, which limit, and a message that says by how much. */
export interface QuotaViolation {
  owner: QuotaOwner;
  kind: QuotaLimitKind;
  detail: string;
}

/** What is counted against a limit, in the organization and in the space. */
export interface QuotaUsage {
  organization: number;
  space: number;
}

const TOTALS: Record<
  QuotaTotalKind,
  { limit: keyof QuotaLimits; lead: (owner: QuotaOwner) => string; unit: (n: number) => string }
> = {
  memory: {
    limit: 'totalMemoryInMb',
    lead: (o) => `You have exceeded your ${o}'s memory limit`,
    unit: (n) => `${n} MB`,
  },
  instances: {
    limit: 'totalInstances',
    lead: (o) => `You have exceeded the instance limit for your ${o}'s quota`,
    unit: (n) => `${n} app instance${n === 1 ? '' : 's'}`,
  },
  service_instances: {
    limit: 'totalServiceInstances',
    lead: (o) => `You have exceeded your ${o}'s services limit`,
    unit: (n) => `${n} service instance${n === 1 ? '' : 's'}`,
  },
  routes: {
    limit: 'totalRoutes',
    lead: (o) => `You have exceeded the total routes for your ${o}'s quota`,
    unit: (n) => `${n} route${n === 1 ? '' : 's'}`,
  },
};

function quotasOf(q: EffectiveQuota): { owner: QuotaOwner; name: string; limits: QuotaLimits }[] {
  // The space's quota first: it is the narrower one, and the one its developers can ask about.
  return [
    ...(q.space ? [{ owner: 'space' as const, ...q.space }] : []),
    { owner: 'organization' as const, ...q.organization },
  ];
}

/**
 * Whether adding `added` (MB, instances, service instances or routes) to what is in use passes
 * every quota of the space. Only growth is refused: a change that adds nothing passes even when
 * usage is already over a limit (a quota lowered later), so users can always scale down.
 */
export function checkQuotaTotal(
  q: EffectiveQuota,
  kind: QuotaTotalKind,
  used: QuotaUsage,
  added: number,
  /** What asks for more, e.g. "starting app 'web'". */
  what: string,
): QuotaViolation | null {
  if (added <= 0) return null;
  const t = TOTALS[kind];
  for (const { owner, name, limits } of quotasOf(q)) {
    const limit = limits[t.limit] as number | null;
    const inUse = used[owner];
    if (limit === null || inUse + added <= limit) continue;
    const mb = (n: number) => (kind === 'memory' ? `${n} MB` : `${n}`);
    return {
      owner,
      kind,
      detail:
        `${t.lead(owner)}: ${owner} quota '${name}' allows ${t.unit(limit)} in total; ` +
        `${mb(inUse)} ${inUse === 1 ? 'is' : 'are'} in use and ${what} needs ${mb(added)} more ` +
        `(${mb(inUse + added - limit)} over).`,
    };
  }
  return null;
}

/** Whether one instance of `memoryInMb` passes the per-process memory limit of every quota. */
export function checkInstanceMemory(
  q: EffectiveQuota,
  memoryInMb: number,
  what: string,
): QuotaViolation | null {
  for (const { owner, name, limits } of quotasOf(q)) {
    const limit = limits.perProcessMemoryInMb;
    if (limit === null || memoryInMb <= limit) continue;
    return {
      owner,
      kind: 'instance_memory',
      detail:
        `You have exceeded the instance memory limit for your ${owner}'s quota: ${owner} quota ` +
        `'${name}' allows ${limit} MB per instance and ${what} asks for ${memoryInMb} MB ` +
        `(${memoryInMb - limit} MB over).`,
    };
  }
  return null;
}

/**
 * Whether a plan that is not free may be used in the space: every quota must allow paid plans
 * (`services.paid_services_allowed`). Free plans always pass.
 */
export function checkPaidPlan(
  q: EffectiveQuota,
  plan: { name: string; free: boolean },
  /** What is refused, e.g. "created", "updated". */
  done: string,
): QuotaViolation | null {
  if (plan.free) return null;
  for (const { owner, name, limits } of quotasOf(q)) {
    if (limits.paidServicesAllowed) continue;
    return {
      owner,
      kind: 'paid_plans',
      detail:
        `The service instance cannot be ${done} because paid service plans are not allowed` +
        `${owner === 'space' ? ' for your space' : ''}: ${owner} quota '${name}' does not allow ` +
        `them, and plan '${plan.name}' is not free.`,
    };
  }
  return null;
}
