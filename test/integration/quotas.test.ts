import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type {
  AuditEventResource,
  JobResource,
  ListResponse,
  OrganizationQuotaResource,
  OrganizationResource,
  ProcessResource,
  SpaceQuotaResource,
  SpaceResource,
} from '@wharf/contracts';
import { startTestPlatform, TestPlatform } from '../support/test-platform';

jest.setTimeout(120_000);

interface Guided {
  guid: string;
  name: string;
  state?: string;
}
interface CfErrors {
  errors: { code: number; title: string; detail: string }[];
}

let platform: TestPlatform;
const tokens: Record<string, string> = {};
let org: OrganizationResource;
let space: SpaceResource;
let small: OrganizationQuotaResource;
let web: Guided;
let api: Guided;

async function call<T>(who: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${platform.url}${path}`, {
    method,
    headers: {
      authorization: `bearer ${tokens[who] ?? who}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    location: res.headers.get('location'),
    body: (text ? JSON.parse(text) : undefined) as T,
  };
}

async function as<T>(who: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await call<T>(who, method, path, body);
  if (res.status >= 300) {
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

/** The one error of a refused request, with its status. */
async function refused(who: string, method: string, path: string, body?: unknown) {
  const res = await call<CfErrors>(who, method, path, body);
  return { status: res.status, ...res.body.errors[0] };
}

const guidOf = (token: string): string =>
  (
    JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      user_id: string;
    }
  ).user_id;

const webProcess = (app: Guided) =>
  as<ProcessResource>('admin', 'GET', `/v3/apps/${app.guid}/processes/web`);
const scale = (who: string, app: Guided, body: Record<string, number>) =>
  call<ProcessResource & CfErrors>(
    who,
    'POST',
    `/v3/apps/${app.guid}/processes/web/actions/scale`,
    body,
  );

beforeAll(async () => {
  platform = await startTestPlatform();
  tokens.admin = await platform.login('admin', { admin: true });
  org = await as('admin', 'POST', '/v3/organizations', { name: 'quota-org' });
  space = await as('admin', 'POST', '/v3/spaces', {
    name: 'quota-space',
    relationships: { organization: { data: { guid: org.guid } } },
  });
  for (const who of ['manager', 'developer', 'outsider']) {
    tokens[who] = await platform.login(who);
  }
  const role = (type: string, who: string, target: Record<string, { data: { guid: string } }>) =>
    as('admin', 'POST', '/v3/roles', {
      type,
      relationships: { user: { data: { guid: guidOf(tokens[who] ?? '') } }, ...target },
    });
  await role('organization_manager', 'manager', { organization: { data: { guid: org.guid } } });
  await role('organization_user', 'developer', { organization: { data: { guid: org.guid } } });
  await role('space_developer', 'developer', { space: { data: { guid: space.guid } } });
  const app = async (name: string) => {
    const a = await as<Guided>('admin', 'POST', '/v3/apps', {
      name,
      relationships: { space: { data: { guid: space.guid } } },
    });
    // Starting needs a droplet; what it holds does not matter to quotas.
    await platform.api
      .get(DataSource)
      .query('UPDATE apps SET current_droplet_guid = $1 WHERE guid = $2', [randomUUID(), a.guid]);
    return a;
  };
  web = await app('web');
  api = await app('api');
});

afterAll(async () => {
  await platform?.close();
});

describe('organization quotas', () => {
  it('gives every organization the seeded unlimited default quota', async () => {
    const list = await as<ListResponse<OrganizationQuotaResource>>(
      'admin',
      'GET',
      '/v3/organization_quotas?names=default',
    );
    const def = list.resources[0];
    expect(def?.name).toBe('default');
    expect(def?.apps).toEqual({
      total_memory_in_mb: null,
      per_process_memory_in_mb: null,
      total_instances: null,
      per_app_tasks: null,
      log_rate_limit_in_bytes_per_second: null,
    });
    expect(org.relationships.quota.data).toEqual({ guid: def?.guid });
    expect(def?.relationships.organizations.data).toContainEqual({ guid: org.guid });
  });

  it('lets only admins create one, in CF shape, and apply it', async () => {
    const body = {
      name: 'small',
      apps: { total_memory_in_mb: 1024, per_process_memory_in_mb: 768 },
      routes: { total_routes: 1 },
    };
    expect((await refused('manager', 'POST', '/v3/organization_quotas', body)).title).toBe(
      'CF-NotAuthorized',
    );
    small = await as('admin', 'POST', '/v3/organization_quotas', body);
    expect(small).toMatchObject({
      name: 'small',
      apps: { total_memory_in_mb: 1024, per_process_memory_in_mb: 768, total_instances: null },
      services: { paid_services_allowed: true, total_service_instances: null },
      routes: { total_routes: 1, total_reserved_ports: null },
      domains: { total_domains: null },
      relationships: { organizations: { data: [] } },
      links: { self: { href: `${platform.url}/v3/organization_quotas/${small.guid}` } },
    });
    const dup = await refused('admin', 'POST', '/v3/organization_quotas', { name: 'small' });
    expect(dup).toMatchObject({ status: 422, title: 'CF-UnprocessableEntity' });
    const bad = await refused('admin', 'POST', '/v3/organization_quotas', {
      name: 'bad',
      apps: { total_memory_in_mb: -5 },
    });
    expect(bad.status).toBe(422);

    const path = `/v3/organization_quotas/${small.guid}/relationships/organizations`;
    expect((await refused('manager', 'POST', path, { data: [{ guid: org.guid }] })).status).toBe(
      404,
    );
    const applied = await call<{ data: { guid: string }[] }>('admin', 'POST', path, {
      data: [{ guid: org.guid }],
    });
    expect(applied.status).toBe(200);
    expect(applied.body.data).toEqual([{ guid: org.guid }]);
    const o = await as<OrganizationResource>('admin', 'GET', `/v3/organizations/${org.guid}`);
    expect(o.relationships.quota.data).toEqual({ guid: small.guid });
  });

  it('shows a quota to members of an organization using it, and only those organizations', async () => {
    const seen = await as<ListResponse<OrganizationQuotaResource>>(
      'developer',
      'GET',
      '/v3/organization_quotas',
    );
    expect(seen.resources.map((q) => q.name)).toEqual(['small']);
    expect(seen.resources[0]?.relationships.organizations.data).toEqual([{ guid: org.guid }]);
    expect((await refused('outsider', 'GET', `/v3/organization_quotas/${small.guid}`)).status).toBe(
      404,
    );
    const filtered = await as<ListResponse<OrganizationQuotaResource>>(
      'admin',
      'GET',
      `/v3/organization_quotas?organization_guids=${org.guid}`,
    );
    expect(filtered.resources.map((q) => q.guid)).toEqual([small.guid]);
    expect(
      (
        await refused('manager', 'PATCH', `/v3/organization_quotas/${small.guid}`, {
          name: 'x',
        })
      ).status,
    ).toBe(403);
  });

  it('refuses to delete a quota in use', async () => {
    const res = await refused('admin', 'DELETE', `/v3/organization_quotas/${small.guid}`);
    expect(res).toMatchObject({ status: 422, title: 'CF-UnprocessableEntity' });
    expect(res.detail).toContain("Organization quota 'small' is applied to one or more");
  });
});

describe('app enforcement', () => {
  it('starts an app within the quota and refuses one past it, naming the quota', async () => {
    expect((await scale('developer', web, { memory_in_mb: 512 })).status).toBe(202);
    expect((await scale('developer', api, { memory_in_mb: 768 })).status).toBe(202);
    const started = await as<Guided>('developer', 'POST', `/v3/apps/${web.guid}/actions/start`);
    expect(started.state).toBe('STARTED');
    const res = await refused('developer', 'POST', `/v3/apps/${api.guid}/actions/start`);
    expect(res).toEqual({
      status: 422,
      code: 100005,
      title: 'CF-AppMemoryQuotaExceeded',
      detail:
        "You have exceeded your organization's memory limit: organization quota 'small' allows 1024 MB in total; 512 MB are in use and starting app 'api' needs 768 MB more (256 MB over).",
    });
    const after = await as<Guided>('admin', 'GET', `/v3/apps/${api.guid}`);
    expect(after.state).toBe('STOPPED');
  });

  it('refuses memory per instance over the limit and leaves the process as it was', async () => {
    const res = await refused(
      'developer',
      'POST',
      `/v3/apps/${web.guid}/processes/web/actions/scale`,
      { memory_in_mb: 1024 },
    );
    expect(res).toEqual({
      status: 422,
      code: 100007,
      title: 'CF-QuotaInstanceMemoryLimitExceeded',
      detail:
        "You have exceeded the instance memory limit for your organization's quota: organization quota 'small' allows 768 MB per instance and scaling process 'web' of app 'web' asks for 1024 MB (256 MB over).",
    });
    expect((await webProcess(web)).memory_in_mb).toBe(512);
  });

  it('scales within the quota and refuses past it, leaving the process as it was', async () => {
    const ok = await scale('developer', web, { instances: 2 });
    expect(ok.status).toBe(202);
    expect(ok.body.instances).toBe(2);
    const res = await refused(
      'developer',
      'POST',
      `/v3/apps/${web.guid}/processes/web/actions/scale`,
      { instances: 3 },
    );
    expect(res).toEqual({
      status: 422,
      code: 100005,
      title: 'CF-AppMemoryQuotaExceeded',
      detail:
        "You have exceeded your organization's memory limit: organization quota 'small' allows 1024 MB in total; 1024 MB are in use and scaling process 'web' of app 'web' needs 512 MB more (512 MB over).",
    });
    expect((await webProcess(web)).instances).toBe(2);
    // Scaling down always passes.
    expect((await scale('developer', web, { instances: 1 })).status).toBe(202);
  });

  it('counts app instances', async () => {
    await as('admin', 'PATCH', `/v3/organization_quotas/${small.guid}`, {
      apps: { total_memory_in_mb: null, total_instances: 2 },
    });
    const res = await refused(
      'developer',
      'POST',
      `/v3/apps/${web.guid}/processes/web/actions/scale`,
      { instances: 3 },
    );
    expect(res).toEqual({
      status: 422,
      code: 100008,
      title: 'CF-QuotaInstanceLimitExceeded',
      detail:
        "You have exceeded the instance limit for your organization's quota: organization quota 'small' allows 2 app instances in total; 1 is in use and scaling process 'web' of app 'web' needs 2 more (1 over).",
    });
    expect((await webProcess(web)).instances).toBe(1);
  });

  it('checks a manifest before changing anything', async () => {
    const res = await fetch(`${platform.url}/v3/spaces/${space.guid}/actions/apply_manifest`, {
      method: 'POST',
      headers: {
        authorization: `bearer ${tokens.developer}`,
        'content-type': 'application/x-yaml',
      },
      body: 'applications:\n- name: web\n  instances: 4\n  env: {CHANGED: "yes"}\n',
    });
    const body = (await res.json()) as CfErrors;
    expect(res.status).toBe(422);
    expect(body.errors[0]).toMatchObject({ code: 100008, title: 'CF-QuotaInstanceLimitExceeded' });
    expect(body.errors[0]?.detail).toContain("applying the manifest to app 'web' needs 3 more");
    expect((await webProcess(web)).instances).toBe(1);
    const env = await as<{ var: Record<string, string> }>(
      'admin',
      'GET',
      `/v3/apps/${web.guid}/environment_variables`,
    );
    expect(env.var.CHANGED).toBeUndefined();
  });
});

describe('space quotas', () => {
  let tiny: SpaceQuotaResource;

  it('lets organization managers create and apply them, not developers', async () => {
    const body = {
      name: 'tiny',
      apps: { total_memory_in_mb: 600 },
      relationships: { organization: { data: { guid: org.guid } } },
    };
    expect((await refused('developer', 'POST', '/v3/space_quotas', body)).status).toBe(403);
    tiny = await as('manager', 'POST', '/v3/space_quotas', body);
    expect(tiny).toMatchObject({
      name: 'tiny',
      apps: { total_memory_in_mb: 600, total_instances: null },
      relationships: { organization: { data: { guid: org.guid } }, spaces: { data: [] } },
    });
    const applied = await call<{ data: { guid: string }[] }>(
      'manager',
      'POST',
      `/v3/space_quotas/${tiny.guid}/relationships/spaces`,
      { data: [{ guid: space.guid }] },
    );
    expect(applied.status).toBe(200);
    expect(applied.body.data).toEqual([{ guid: space.guid }]);
    const s = await as<SpaceResource>('developer', 'GET', `/v3/spaces/${space.guid}`);
    expect(s.relationships.quota.data).toEqual({ guid: tiny.guid });
    const seen = await as<ListResponse<SpaceQuotaResource>>('developer', 'GET', '/v3/space_quotas');
    expect(seen.resources.map((q) => q.guid)).toEqual([tiny.guid]);
    expect((await refused('outsider', 'GET', `/v3/space_quotas/${tiny.guid}`)).status).toBe(404);
  });

  it("enforces the space's quota as well as the organization's", async () => {
    const res = await refused(
      'developer',
      'POST',
      `/v3/apps/${web.guid}/processes/web/actions/scale`,
      { instances: 2 },
    );
    expect(res).toEqual({
      status: 422,
      code: 310003,
      title: 'CF-SpaceQuotaMemoryLimitExceeded',
      detail:
        "You have exceeded your space's memory limit: space quota 'tiny' allows 600 MB in total; 512 MB are in use and scaling process 'web' of app 'web' needs 512 MB more (424 MB over).",
    });
  });

  it('refuses deleting an applied space quota; removes and deletes it', async () => {
    expect((await refused('manager', 'DELETE', `/v3/space_quotas/${tiny.guid}`)).status).toBe(422);
    const removed = await call(
      'manager',
      'DELETE',
      `/v3/space_quotas/${tiny.guid}/relationships/spaces/${space.guid}`,
    );
    expect(removed.status).toBe(204);
    const del = await call('manager', 'DELETE', `/v3/space_quotas/${tiny.guid}`);
    expect(del.status).toBe(202);
    const job = await as<JobResource>('admin', 'GET', new URL(del.location ?? '').pathname);
    expect(job.state).toBe('COMPLETE');
    expect((await refused('admin', 'GET', `/v3/space_quotas/${tiny.guid}`)).status).toBe(404);
  });
});

describe('route enforcement', () => {
  it('refuses a route past total_routes', async () => {
    const domain = await as<{ guid: string; name: string }>('admin', 'POST', '/v3/domains', {
      name: 'quota.example',
      relationships: { organization: { data: { guid: org.guid } } },
    });
    const route = (host: string) => ({
      host,
      relationships: {
        space: { data: { guid: space.guid } },
        domain: { data: { guid: domain.guid } },
      },
    });
    await as('developer', 'POST', '/v3/routes', route('one'));
    const res = await refused('developer', 'POST', '/v3/routes', route('two'));
    expect(res).toEqual({
      status: 422,
      code: 310006,
      title: 'CF-OrgQuotaTotalRoutesExceeded',
      detail: `You have exceeded the total routes for your organization's quota: organization quota 'small' allows 1 route in total; 1 is in use and creating route 'two.${domain.name}' needs 1 more (1 over).`,
    });
  });
});

describe('concurrent changes', () => {
  it('lets one of four concurrent starts and one of four route creations take the last of the quota', async () => {
    const raceOrg = await as<Guided>('admin', 'POST', '/v3/organizations', { name: 'race-org' });
    const raceSpace = await as<Guided>('admin', 'POST', '/v3/spaces', {
      name: 'race-space',
      relationships: { organization: { data: { guid: raceOrg.guid } } },
    });
    const quota = await as<Guided>('admin', 'POST', '/v3/organization_quotas', {
      name: 'race',
      apps: { total_memory_in_mb: 128 },
      routes: { total_routes: 1 },
    });
    await as('admin', 'POST', `/v3/organization_quotas/${quota.guid}/relationships/organizations`, {
      data: [{ guid: raceOrg.guid }],
    });
    const apps: Guided[] = [];
    for (const name of ['r1', 'r2', 'r3', 'r4']) {
      const a = await as<Guided>('admin', 'POST', '/v3/apps', {
        name,
        relationships: { space: { data: { guid: raceSpace.guid } } },
      });
      await platform.api
        .get(DataSource)
        .query('UPDATE apps SET current_droplet_guid = $1 WHERE guid = $2', [randomUUID(), a.guid]);
      expect((await scale('admin', a, { memory_in_mb: 128 })).status).toBe(202);
      apps.push(a);
    }
    // Each start counts 0 MB in use and would pass alone; under the organization's lock only the
    // first one's save is counted by the next.
    const starts = await Promise.all(
      apps.map((a) => call<CfErrors>('admin', 'POST', `/v3/apps/${a.guid}/actions/start`)),
    );
    expect(starts.map((r) => r.status).sort()).toEqual([200, 422, 422, 422]);
    const started: unknown = await platform.api
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM apps WHERE space_guid = $1 AND state = 'STARTED'`, [
        raceSpace.guid,
      ]);
    expect(started).toEqual([{ n: 1 }]);

    const domain = await as<Guided>('admin', 'POST', '/v3/domains', {
      name: 'race.example',
      relationships: { organization: { data: { guid: raceOrg.guid } } },
    });
    const routes = await Promise.all(
      ['a', 'b', 'c', 'd'].map((host) =>
        call<CfErrors>('admin', 'POST', '/v3/routes', {
          host,
          relationships: {
            space: { data: { guid: raceSpace.guid } },
            domain: { data: { guid: domain.guid } },
          },
        }),
      ),
    );
    expect(routes.map((r) => r.status).sort()).toEqual([201, 422, 422, 422]);
  });
});

describe('quota audit events', () => {
  it('records creating, changing, applying, removing and deleting quotas with who did it and what they sent', async () => {
    const audited = await as<OrganizationResource>('admin', 'POST', '/v3/organizations', {
      name: 'audited-quota-org',
    });
    const auditedSpace = await as<SpaceResource>('admin', 'POST', '/v3/spaces', {
      name: 'audited-quota-space',
      relationships: { organization: { data: { guid: audited.guid } } },
    });
    const orgBody = { name: 'audited-org-quota', apps: { total_memory_in_mb: 4096 } };
    const oq = await as<OrganizationQuotaResource>(
      'admin',
      'POST',
      '/v3/organization_quotas',
      orgBody,
    );
    await as('admin', 'PATCH', `/v3/organization_quotas/${oq.guid}`, {
      routes: { total_routes: 9 },
    });
    const applyTo = (quota: string, guid: string) =>
      as('admin', 'POST', `/v3/organization_quotas/${quota}/relationships/organizations`, {
        data: [{ guid }],
      });
    await applyTo(oq.guid, audited.guid);
    const [fallback] = (
      await as<ListResponse<OrganizationQuotaResource>>(
        'admin',
        'GET',
        '/v3/organization_quotas?names=default',
      )
    ).resources;
    await applyTo(fallback?.guid ?? '', audited.guid);
    expect((await call('admin', 'DELETE', `/v3/organization_quotas/${oq.guid}`)).status).toBe(202);

    const spaceBody = {
      name: 'audited-space-quota',
      apps: { total_instances: 5 },
      relationships: { organization: { data: { guid: audited.guid } } },
    };
    const sq = await as<SpaceQuotaResource>('admin', 'POST', '/v3/space_quotas', spaceBody);
    await as('admin', 'PATCH', `/v3/space_quotas/${sq.guid}`, { name: 'audited-space-quota-2' });
    await as('admin', 'POST', `/v3/space_quotas/${sq.guid}/relationships/spaces`, {
      data: [{ guid: auditedSpace.guid }],
    });
    expect(
      (
        await call(
          'admin',
          'DELETE',
          `/v3/space_quotas/${sq.guid}/relationships/spaces/${auditedSpace.guid}`,
        )
      ).status,
    ).toBe(204);
    expect((await call('admin', 'DELETE', `/v3/space_quotas/${sq.guid}`)).status).toBe(202);

    const events = await as<ListResponse<AuditEventResource>>(
      'admin',
      'GET',
      `/v3/audit_events?target_guids=${oq.guid},${sq.guid}&order_by=created_at&per_page=100`,
    );
    const orgQuota = (type: string, data: Record<string, unknown>) => ({
      type: `audit.organization_quota.${type}`,
      actor: { type: 'user', name: 'admin' },
      target: { guid: oq.guid, type: 'organization_quota', name: 'audited-org-quota' },
      data,
      space: null,
      organization: null,
    });
    const spaceQuota = (type: string, name: string, data: Record<string, unknown>) => ({
      type: `audit.space_quota.${type}`,
      actor: { type: 'user', name: 'admin' },
      target: { guid: sq.guid, type: 'space_quota', name },
      data,
      space: null,
      organization: { guid: audited.guid },
    });
    expect(
      events.resources.map((e) => ({
        type: e.type,
        actor: { type: e.actor.type, name: e.actor.name },
        target: e.target,
        data: e.data,
        space: e.space,
        organization: e.organization,
      })),
    ).toEqual([
      orgQuota('create', { request: orgBody }),
      orgQuota('update', { request: { routes: { total_routes: 9 } } }),
      orgQuota('apply', { organization_guids: [audited.guid] }),
      orgQuota('delete-request', {}),
      spaceQuota('create', 'audited-space-quota', { request: spaceBody }),
      spaceQuota('update', 'audited-space-quota-2', { request: { name: 'audited-space-quota-2' } }),
      spaceQuota('apply', 'audited-space-quota-2', { space_guids: [auditedSpace.guid] }),
      spaceQuota('remove', 'audited-space-quota-2', { space_guid: auditedSpace.guid }),
      spaceQuota('delete-request', 'audited-space-quota-2', {}),
    ]);
  });
});
