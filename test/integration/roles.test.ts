import type {
  AuditEventResource,
  JobResource,
  ListResponse,
  OrganizationResource,
  RoleResource,
  SpaceResource,
  UserResource,
} from '@wharf/contracts';
import { startTestPlatform, TestPlatform } from '../support/test-platform';

jest.setTimeout(90_000);

interface Guided {
  guid: string;
}
type Who =
  | 'admin'
  | 'organization_manager'
  | 'organization_user'
  | 'organization_auditor'
  | 'space_developer'
  | 'space_manager'
  | 'space_auditor'
  | 'outsider';
const WHO: Who[] = [
  'admin',
  'organization_manager',
  'organization_user',
  'organization_auditor',
  'space_developer',
  'space_manager',
  'space_auditor',
  'outsider',
];

let platform: TestPlatform;
const tokens = {} as Record<Who, string>;
const userGuids = {} as Record<string, string>;
let orgA: OrganizationResource;
let spaceA: SpaceResource;
let orgB: OrganizationResource;
let spaceB: SpaceResource;
let appA: Guided;
let appB: Guided;

async function call<T>(who: string, method: string, path: string, body?: unknown) {
  const token = (tokens as Record<string, string>)[who] ?? who;
  const res = await fetch(`${platform.url}${path}`, {
    method,
    headers: {
      authorization: `bearer ${token}`,
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

async function asAdmin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await call<T>('admin', method, path, body);
  if (res.status >= 300)
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function waitForJob(location: string | null): Promise<JobResource> {
  const path = new URL(location ?? '').pathname;
  for (let i = 0; i < 100; i++) {
    const { body } = await call<JobResource>('admin', 'GET', path);
    if (body.state === 'COMPLETE' || body.state === 'FAILED') return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${path} did not finish`);
}

const role = (type: string, user: string, target: { org?: string; space?: string }) => ({
  type,
  relationships: {
    user: { data: { guid: user } },
    ...(target.org ? { organization: { data: { guid: target.org } } } : {}),
    ...(target.space ? { space: { data: { guid: target.space } } } : {}),
  },
});

const guidOf = (token: string): string => {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
    user_id: string;
  };
  return payload.user_id;
};

beforeAll(async () => {
  platform = await startTestPlatform();
  tokens.admin = await platform.login('admin', { admin: true });
  orgA = await asAdmin('POST', '/v3/organizations', { name: 'org-a' });
  orgB = await asAdmin('POST', '/v3/organizations', { name: 'org-b' });
  const space = (name: string, org: string) =>
    asAdmin<SpaceResource>('POST', '/v3/spaces', {
      name,
      relationships: { organization: { data: { guid: org } } },
    });
  spaceA = await space('space-a', orgA.guid);
  spaceB = await space('space-b', orgB.guid);
  const app = (name: string, s: string) =>
    asAdmin<Guided>('POST', '/v3/apps', {
      name,
      relationships: { space: { data: { guid: s } } },
      environment_variables: { SECRET_TOKEN: 's3cr3t-value' },
    });
  appA = await app('app-a', spaceA.guid);
  appB = await app('app-b', spaceB.guid);
  for (const who of WHO.filter((w) => w !== 'admin')) {
    tokens[who] = await platform.login(who);
    userGuids[who] = guidOf(tokens[who]);
    if (who === 'outsider') continue;
    if (who.startsWith('space_')) {
      await asAdmin(
        'POST',
        '/v3/roles',
        role('organization_user', userGuids[who], { org: orgA.guid }),
      );
      await asAdmin('POST', '/v3/roles', role(who, userGuids[who], { space: spaceA.guid }));
    } else {
      await asAdmin('POST', '/v3/roles', role(who, userGuids[who], { org: orgA.guid }));
    }
  }
  // Users that the role-management row gives roles to, already members of org A.
  for (const who of WHO) {
    await platform.login(`target-${who}`);
  }
  const { body: targets } = await call<ListResponse<UserResource>>(
    'admin',
    'GET',
    `/v3/users?usernames=${WHO.map((w) => `target-${w}`).join(',')}`,
  );
  for (const u of targets.resources) {
    userGuids[u.username] = u.guid;
    await asAdmin('POST', '/v3/roles', role('organization_user', u.guid, { org: orgA.guid }));
  }
});

afterAll(async () => {
  await platform?.close();
});

describe('the role matrix (status per role and endpoint)', () => {
  // admin, org manager, org user, org auditor, space developer, space manager, space auditor, outsider
  const matrix: [string, (who: Who) => Promise<number>, number[]][] = [
    [
      'read app',
      async (w) => (await call(w, 'GET', `/v3/apps/${appA.guid}`)).status,
      [200, 200, 404, 404, 200, 200, 200, 404],
    ],
    [
      'read env values',
      async (w) => (await call(w, 'GET', `/v3/apps/${appA.guid}/env`)).status,
      [200, 403, 404, 404, 200, 403, 403, 404],
    ],
    [
      'read environment_variables',
      async (w) => (await call(w, 'GET', `/v3/apps/${appA.guid}/environment_variables`)).status,
      [200, 403, 404, 404, 200, 403, 403, 404],
    ],
    [
      'change env',
      async (w) =>
        (
          await call(w, 'PATCH', `/v3/apps/${appA.guid}/environment_variables`, {
            var: { CHANGED_BY: w },
          })
        ).status,
      [200, 403, 404, 404, 200, 403, 403, 404],
    ],
    [
      'push (create an app)',
      async (w) =>
        (
          await call(w, 'POST', '/v3/apps', {
            name: `pushed-by-${w}`,
            relationships: { space: { data: { guid: spaceA.guid } } },
          })
        ).status,
      [201, 403, 422, 422, 201, 403, 403, 422],
    ],
    [
      'scale',
      async (w) =>
        (
          await call(w, 'POST', `/v3/apps/${appA.guid}/processes/web/actions/scale`, {
            instances: 0,
          })
        ).status,
      [202, 403, 404, 404, 202, 403, 403, 404],
    ],
    [
      'create service',
      async (w) =>
        (
          await call(w, 'POST', '/v3/service_instances', {
            type: 'user-provided',
            name: `ups-by-${w}`,
            credentials: { password: 'very-secret' },
            relationships: { space: { data: { guid: spaceA.guid } } },
          })
        ).status,
      [201, 403, 422, 422, 201, 403, 403, 422],
    ],
    [
      'bind',
      async (w) => {
        const instance = await asAdmin<Guided>('POST', '/v3/service_instances', {
          type: 'user-provided',
          name: `bindable-for-${w}`,
          credentials: { password: 'very-secret' },
          relationships: { space: { data: { guid: spaceA.guid } } },
        });
        return (
          await call(w, 'POST', '/v3/service_credential_bindings', {
            type: 'app',
            relationships: {
              service_instance: { data: { guid: instance.guid } },
              app: { data: { guid: appA.guid } },
            },
          })
        ).status;
      },
      [201, 403, 422, 422, 201, 403, 403, 422],
    ],
    [
      'manage roles (give a space role)',
      async (w) =>
        (
          await call(
            w,
            'POST',
            '/v3/roles',
            role('space_auditor', userGuids[`target-${w}`] ?? '', { space: spaceA.guid }),
          )
        ).status,
      [201, 201, 422, 422, 403, 201, 403, 422],
    ],
    [
      'manage roles (give an org role)',
      async (w) =>
        (
          await call(
            w,
            'POST',
            '/v3/roles',
            role('organization_auditor', userGuids[`target-${w}`] ?? '', { org: orgA.guid }),
          )
        ).status,
      [201, 201, 403, 403, 403, 403, 403, 422],
    ],
    [
      'rename the space',
      async (w) =>
        (await call(w, 'PATCH', `/v3/spaces/${spaceA.guid}`, { name: 'space-a' })).status,
      [200, 200, 404, 404, 403, 200, 403, 404],
    ],
    [
      'create a space',
      async (w) =>
        (
          await call(w, 'POST', '/v3/spaces', {
            name: `space-by-${w}`,
            relationships: { organization: { data: { guid: orgA.guid } } },
          })
        ).status,
      [201, 201, 403, 403, 403, 403, 403, 422],
    ],
  ];

  it.each(matrix)('%s', async (_name, request, expected) => {
    const got: Record<string, number> = {};
    for (const who of WHO) got[who] = await request(who);
    expect(got).toEqual(Object.fromEntries(WHO.map((w, i) => [w, expected[i]])));
  });
});

describe('tenancy', () => {
  it("a user of org A lists nothing of org B anywhere and gets 404 on B's guids", async () => {
    const lists = [
      '/v3/organizations',
      '/v3/spaces',
      '/v3/apps',
      '/v3/processes',
      '/v3/packages',
      '/v3/routes',
      '/v3/service_instances',
      '/v3/service_credential_bindings',
      '/v3/roles',
      '/v3/users',
      '/v3/audit_events',
    ];
    for (const who of ['space_developer', 'organization_manager'] as Who[]) {
      for (const path of lists) {
        const res = await call<ListResponse<unknown>>(who, 'GET', `${path}?per_page=5000`);
        expect({ path, status: res.status }).toEqual({ path, status: 200 });
        const text = JSON.stringify(res.body.resources);
        for (const guid of [orgB.guid, spaceB.guid, appB.guid]) {
          expect({ path, leaked: text.includes(guid) }).toEqual({ path, leaked: false });
        }
      }
      for (const path of [
        `/v3/organizations/${orgB.guid}`,
        `/v3/spaces/${spaceB.guid}`,
        `/v3/apps/${appB.guid}`,
        `/v3/apps/${appB.guid}/env`,
      ]) {
        expect({ path, status: (await call(who, 'GET', path)).status }).toEqual({
          path,
          status: 404,
        });
      }
    }
  });

  it('an outsider sees no organization, space or app', async () => {
    for (const path of ['/v3/organizations', '/v3/spaces', '/v3/apps', '/v3/roles']) {
      const res = await call<ListResponse<unknown>>('outsider', 'GET', path);
      expect({ path, total: res.body.pagination.total_results }).toEqual({ path, total: 0 });
    }
    const me = await call<ListResponse<UserResource>>('outsider', 'GET', '/v3/users');
    expect(me.body.resources.map((u) => u.username)).toEqual(['outsider']);
  });
});

describe('/v3/roles and /v3/users', () => {
  it('lists the roles of an organization with their users included', async () => {
    const res = await call<ListResponse<RoleResource> & { included: { users: UserResource[] } }>(
      'organization_user',
      'GET',
      `/v3/roles?organization_guids=${orgA.guid}&types=organization_manager&include=user`,
    );
    expect(res.status).toBe(200);
    expect(res.body.resources.map((r) => r.relationships.user.data?.guid)).toEqual([
      userGuids.organization_manager,
    ]);
    expect(res.body.resources[0]?.relationships.organization.data?.guid).toBe(orgA.guid);
    expect(res.body.resources[0]?.relationships.space.data).toBeNull();
    expect(res.body.included.users.map((u) => u.username)).toEqual(['organization_manager']);
  });

  it('answers a duplicate, a space role without an org role and unknown users with 422', async () => {
    const dup = await call<{ errors: { detail: string; title: string }[] }>(
      'admin',
      'POST',
      '/v3/roles',
      role('space_developer', userGuids.space_developer ?? '', { space: spaceA.guid }),
    );
    expect(dup.status).toBe(422);
    expect(dup.body.errors[0]?.detail).toBe(
      "User 'space_developer' already has 'space_developer' role in space 'space-a'.",
    );
    const noOrg = await call<{ errors: { detail: string }[] }>(
      'admin',
      'POST',
      '/v3/roles',
      role('space_developer', userGuids.outsider ?? '', { space: spaceA.guid }),
    );
    expect(noOrg.status).toBe(422);
    expect(noOrg.body.errors[0]?.detail).toMatch(/do not have a role in that space's organization/);
    const byName = await call<{ errors: { detail: string }[] }>('admin', 'POST', '/v3/roles', {
      type: 'organization_user',
      relationships: {
        user: { data: { username: 'nobody-by-that-name' } },
        organization: { data: { guid: orgA.guid } },
      },
    });
    expect(byName.status).toBe(422);
    expect(byName.body.errors[0]?.detail).toBe(
      "No user exists with the username 'nobody-by-that-name' and origin 'uaa'.",
    );
    const badType = await call('admin', 'POST', '/v3/roles', {
      ...role('space_wizard', userGuids.outsider ?? '', { space: spaceA.guid }),
    });
    expect(badType.status).toBe(422);
  });

  it('removing a role is a job, after which the user no longer sees the space', async () => {
    const user = await platform.login('leaving-dev');
    const guid = guidOf(user);
    await asAdmin('POST', '/v3/roles', role('organization_user', guid, { org: orgA.guid }));
    const dev = await asAdmin<RoleResource>(
      'POST',
      '/v3/roles',
      role('space_developer', guid, { space: spaceA.guid }),
    );
    expect((await call(user, 'GET', `/v3/apps/${appA.guid}`)).status).toBe(200);
    const [orgUserRole] = (
      await asAdmin<ListResponse<RoleResource>>(
        'GET',
        `/v3/roles?user_guids=${guid}&types=organization_user`,
      )
    ).resources;
    const refused = await call<{ errors: { detail: string }[] }>(
      'organization_manager',
      'DELETE',
      `/v3/roles/${orgUserRole?.guid ?? ''}`,
    );
    expect(refused.status).toBe(422);
    const removed = await call('space_manager', 'DELETE', `/v3/roles/${dev.guid}`);
    expect(removed.status).toBe(202);
    expect((await waitForJob(removed.location)).state).toBe('COMPLETE');
    expect((await call(user, 'GET', `/v3/apps/${appA.guid}`)).status).toBe(404);
    expect((await call('admin', 'GET', `/v3/roles/${dev.guid}`)).status).toBe(404);
  });

  it('creates a user through UAA, registers it, and deletes it with its roles and sessions', async () => {
    const created = await call<{ id: string; userName: string }>('admin', 'POST', '/Users', {
      userName: 'made-by-admin',
      password: 'a-password-1',
    });
    expect(created.status).toBe(201);
    expect(created.body.userName).toBe('made-by-admin');
    expect(
      (await call('admin', 'POST', '/Users', { userName: 'made-by-admin', password: 'x' })).status,
    ).toBe(409);
    expect(
      (await call('space_developer', 'POST', '/Users', { userName: 'sneaky', password: 'x' }))
        .status,
    ).toBe(403);
    const registered = await call<UserResource>('admin', 'POST', '/v3/users', {
      guid: created.body.id,
    });
    expect(registered.status).toBe(201);
    expect(registered.body.username).toBe('made-by-admin');
    await asAdmin(
      'POST',
      '/v3/roles',
      role('organization_user', created.body.id, { org: orgA.guid }),
    );
    expect(
      (await call('organization_manager', 'DELETE', `/v3/users/${created.body.id}`)).status,
    ).toBe(403);
    const deleted = await call('admin', 'DELETE', `/v3/users/${created.body.id}`);
    expect(deleted.status).toBe(202);
    expect((await waitForJob(deleted.location)).state).toBe('COMPLETE');
    expect((await call('admin', 'GET', `/v3/users/${created.body.id}`)).status).toBe(404);
    const roles = await asAdmin<ListResponse<RoleResource>>(
      'GET',
      `/v3/roles?user_guids=${created.body.id}`,
    );
    expect(roles.pagination.total_results).toBe(0);
  });

  it('records who gave and removed roles, without secrets', async () => {
    const events = await asAdmin<ListResponse<{ type: string; target: { name: string } }>>(
      'GET',
      '/v3/audit_events?types=audit.user.space_developer_add,audit.user.space_developer_remove&per_page=100',
    );
    const types = events.resources.map((e) => `${e.type} ${e.target.name}`);
    expect(types).toContain('audit.user.space_developer_add leaving-dev');
    expect(types).toContain('audit.user.space_developer_remove leaving-dev');
  });

  it("shows an organization's own events (roles, the organization) to its managers and auditors only", async () => {
    type Event = { guid: string; organization: { guid: string } | null; space: unknown };
    const orgEvents = async (who: Who) =>
      (
        await call<ListResponse<Event>>(
          who,
          'GET',
          '/v3/audit_events?types=audit.user.organization_user_add,audit.organization.create&per_page=100',
        )
      ).body.resources;
    for (const who of ['organization_manager', 'organization_auditor'] as Who[]) {
      const seen = await orgEvents(who);
      expect(seen.length).toBeGreaterThan(0);
      // Org A's alone: org B's creation is not among them.
      expect(new Set(seen.map((e) => e.organization?.guid))).toEqual(new Set([orgA.guid]));
      expect(seen.every((e) => e.space === null)).toBe(true);
    }
    const one = (await orgEvents('organization_manager'))[0];
    for (const who of [
      'organization_user',
      'space_developer',
      'space_auditor',
      'outsider',
    ] as Who[]) {
      expect(await orgEvents(who)).toEqual([]);
      expect((await call(who, 'GET', `/v3/audit_events/${one?.guid}`)).status).toBe(404);
    }
    expect(
      (await call('organization_auditor', 'GET', `/v3/audit_events/${one?.guid}`)).status,
    ).toBe(200);
  });
});

describe('audit events of identity changes', () => {
  it('records organization, space and user changes with who made them and what they asked for', async () => {
    const org = await asAdmin<OrganizationResource>('POST', '/v3/organizations', {
      name: 'audited-org',
      metadata: { labels: { team: 'a' } },
    });
    await asAdmin('PATCH', `/v3/organizations/${org.guid}`, { suspended: false });
    const space = await asAdmin<SpaceResource>('POST', '/v3/spaces', {
      name: 'audited-space',
      relationships: { organization: { data: { guid: org.guid } } },
    });
    await asAdmin('PATCH', `/v3/spaces/${space.guid}`, { name: 'audited-space-2' });
    expect(
      (await waitForJob((await call('admin', 'DELETE', `/v3/spaces/${space.guid}`)).location))
        .state,
    ).toBe('COMPLETE');
    expect(
      (await waitForJob((await call('admin', 'DELETE', `/v3/organizations/${org.guid}`)).location))
        .state,
    ).toBe('COMPLETE');

    const user = await call<{ id: string }>('admin', 'POST', '/Users', {
      userName: 'audited-user',
      password: 'a-password-1',
    });
    expect(user.status).toBe(201);
    const form = (fields: Record<string, string>) => ({
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('cf:').toString('base64')}`,
      },
      body: new URLSearchParams(fields).toString(),
    });
    const login = (await (
      await fetch(
        `${platform.url}/oauth/token`,
        form({ grant_type: 'password', username: 'audited-user', password: 'a-password-1' }),
      )
    ).json()) as { refresh_token: string };
    const revoke = await fetch(
      `${platform.url}/oauth/revoke`,
      form({ token: login.refresh_token }),
    );
    expect(revoke.status).toBe(200);
    const changed = await call('admin', 'PUT', `/Users/${user.body.id}/password`, {
      password: 'another-password-2',
    });
    expect(changed.status).toBe(200);
    expect(
      (await waitForJob((await call('admin', 'DELETE', `/v3/users/${user.body.id}`)).location))
        .state,
    ).toBe('COMPLETE');

    const events = await asAdmin<ListResponse<AuditEventResource>>(
      'GET',
      `/v3/audit_events?target_guids=${org.guid},${space.guid},${user.body.id}&order_by=created_at&per_page=100`,
    );
    const at = { organization: { guid: org.guid } };
    const inSpace = { space: { guid: space.guid }, ...at };
    const by = (name: string) => ({ type: 'user', name });
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
      {
        type: 'audit.organization.create',
        actor: by('admin'),
        target: { guid: org.guid, type: 'organization', name: 'audited-org' },
        data: { request: { name: 'audited-org', metadata: { labels: { team: 'a' } } } },
        space: null,
        ...at,
      },
      {
        type: 'audit.organization.update',
        actor: by('admin'),
        target: { guid: org.guid, type: 'organization', name: 'audited-org' },
        data: { request: { suspended: false } },
        space: null,
        ...at,
      },
      {
        type: 'audit.space.create',
        actor: by('admin'),
        target: { guid: space.guid, type: 'space', name: 'audited-space' },
        data: { request: { name: 'audited-space' } },
        ...inSpace,
      },
      {
        type: 'audit.space.update',
        actor: by('admin'),
        target: { guid: space.guid, type: 'space', name: 'audited-space-2' },
        data: { request: { name: 'audited-space-2' } },
        ...inSpace,
      },
      {
        type: 'audit.space.delete-request',
        actor: by('admin'),
        target: { guid: space.guid, type: 'space', name: 'audited-space-2' },
        data: { request: {} },
        ...inSpace,
      },
      {
        type: 'audit.organization.delete-request',
        actor: by('admin'),
        target: { guid: org.guid, type: 'organization', name: 'audited-org' },
        data: { request: {} },
        space: null,
        ...at,
      },
      ...(['create', 'logout', 'password_change', 'delete-request'] as const).map((type) => ({
        type: `audit.user.${type}`,
        // A logout is the user's own; the rest are the admin's.
        actor: by(type === 'logout' ? 'audited-user' : 'admin'),
        target: { guid: user.body.id, type: 'user', name: 'audited-user' },
        data: {},
        space: null,
        organization: null,
      })),
    ]);
  });
});
