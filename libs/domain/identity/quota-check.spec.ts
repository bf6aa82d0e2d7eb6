import { checkInstanceMemory, checkPaidPlan, checkQuotaTotal, EffectiveQuota } from './quota-check';
import { UNLIMITED } from './quota-limits.columns';

const quota = (
  org: Partial<typeof UNLIMITED>,
  space?: Partial<typeof UNLIMITED>,
): EffectiveQuota => ({
  organizationGuid: 'o',
  organizationSpaceGuids: ['s'],
  organization: { name: 'small', limits: { ...UNLIMITED, ...org } },
  space: space ? { name: 'tiny', limits: { ...UNLIMITED, ...space } } : null,
});

describe('checkQuotaTotal', () => {
  it('passes unlimited quotas and changes that add nothing, even over a limit', () => {
    expect(checkQuotaTotal(quota({}), 'memory', { organization: 9e9, space: 0 }, 512, 'x')).toBe(
      null,
    );
    const over = quota({ totalMemoryInMb: 100 });
    expect(checkQuotaTotal(over, 'memory', { organization: 500, space: 500 }, 0, 'x')).toBe(null);
    expect(checkQuotaTotal(over, 'memory', { organization: 500, space: 500 }, -50, 'x')).toBe(null);
  });

  it('allows reaching a limit exactly and refuses one unit past it, saying by how much', () => {
    const q = quota({ totalMemoryInMb: 1024 });
    expect(checkQuotaTotal(q, 'memory', { organization: 512, space: 0 }, 512, 'x')).toBe(null);
    expect(
      checkQuotaTotal(q, 'memory', { organization: 768, space: 0 }, 512, "starting app 'web'"),
    ).toEqual({
      owner: 'organization',
      kind: 'memory',
      detail:
        "You have exceeded your organization's memory limit: organization quota 'small' allows 1024 MB in total; 768 MB are in use and starting app 'web' needs 512 MB more (256 MB over).",
    });
  });

  it("checks the space's quota first, counting the space's usage", () => {
    const q = quota({ totalRoutes: 10 }, { totalRoutes: 1 });
    expect(
      checkQuotaTotal(q, 'routes', { organization: 5, space: 1 }, 1, "creating route 'a'"),
    ).toEqual({
      owner: 'space',
      kind: 'routes',
      detail:
        "You have exceeded the total routes for your space's quota: space quota 'tiny' allows 1 route in total; 1 is in use and creating route 'a' needs 1 more (1 over).",
    });
    expect(checkQuotaTotal(q, 'routes', { organization: 10, space: 0 }, 1, 'r')?.owner).toBe(
      'organization',
    );
  });
});

describe('checkInstanceMemory', () => {
  it('refuses an instance larger than either quota allows', () => {
    const q = quota({ perProcessMemoryInMb: 1024 }, { perProcessMemoryInMb: 256 });
    expect(checkInstanceMemory(q, 256, 'x')).toBe(null);
    expect(checkInstanceMemory(q, 512, "scaling process 'web'")).toEqual({
      owner: 'space',
      kind: 'instance_memory',
      detail:
        "You have exceeded the instance memory limit for your space's quota: space quota 'tiny' allows 256 MB per instance and scaling process 'web' asks for 512 MB (256 MB over).",
    });
  });
});

describe('checkPaidPlan', () => {
  const paid = { name: 'big', free: false };
  it('passes free plans anywhere and paid plans where every quota allows them', () => {
    const q = quota({ paidServicesAllowed: false }, { paidServicesAllowed: false });
    expect(checkPaidPlan(q, { name: 'small', free: true }, 'created')).toBeNull();
    expect(checkPaidPlan(quota({}, {}), paid, 'created')).toBeNull();
  });

  it("names the space's quota first, then the organization's", () => {
    expect(checkPaidPlan(quota({}, { paidServicesAllowed: false }), paid, 'updated')).toEqual({
      owner: 'space',
      kind: 'paid_plans',
      detail:
        "The service instance cannot be updated because paid service plans are not allowed for your space: space quota 'tiny' does not allow them, and plan 'big' is not free.",
    });
    expect(checkPaidPlan(quota({ paidServicesAllowed: false }), paid, 'created')).toMatchObject({
      owner: 'organization',
      detail: expect.stringMatching(
        /^The service instance cannot be created because paid service plans are not allowed: organization quota 'small'/,
      ) as string,
    });
  });
});
