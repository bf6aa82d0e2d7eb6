import type {
  ErrorResponse,
  ListResponse,
  OrganizationResource,
  SpaceResource,
} from '@wharf/contracts';
import { startTestPlatform, TestPlatform } from '../support/test-platform';

jest.setTimeout(60_000);

interface Proc {
  guid: string;
  type: string;
  command: string | null;
  instances: number;
  memory_in_mb: number;
  disk_in_mb: number;
  health_check: { type: string; data: Record<string, unknown> };
  relationships: { app: { data: { guid: string } } };
  links: Record<string, { href: string; method?: string }>;
}

let platform: TestPlatform;
let admin: string;
let appGuid: string;

async function call<T>(method: string, path: string, body?: unknown, token = admin) {
  const res = await fetch(`${platform.url}${path}`, {
    method,
    headers: {
      authorization: `bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

beforeAll(async () => {
  platform = await startTestPlatform();
  admin = await platform.login('admin', { admin: true });
  const org = (await call<OrganizationResource>('POST', '/v3/organizations', { name: 'proc-org' }))
    .body;
  const space = (
    await call<SpaceResource>('POST', '/v3/spaces', {
      name: 'dev',
      relationships: { organization: { data: { guid: org.guid } } },
    })
  ).body;
  appGuid = (
    await call<{ guid: string }>('POST', '/v3/apps', {
      name: 'proc-app',
      relationships: { space: { data: { guid: space.guid } } },
    })
  ).body.guid;
});
afterAll(async () => {
  await platform?.close();
});

describe('processes', () => {
  it('gives every new app a web process with the platform defaults', async () => {
    const list = await call<ListResponse<Proc>>('GET', `/v3/apps/${appGuid}/processes`);
    expect(list.status).toBe(200);
    expect(list.body.resources).toHaveLength(1);
    const web = list.body.resources[0] as Proc;
    expect(web).toEqual(
      expect.objectContaining({
        type: 'web',
        command: null,
        instances: 1,
        memory_in_mb: 1024,
        disk_in_mb: 1024,
        health_check: {
          type: 'port',
          data: { timeout: null, invocation_timeout: null, interval: null },
        },
        relationships: { app: { data: { guid: appGuid } }, revision: { data: null } },
      }),
    );
    expect(web.links.scale).toEqual({
      href: `${platform.url}/v3/processes/${web.guid}/actions/scale`,
      method: 'POST',
    });
    const byType = await call<Proc>('GET', `/v3/apps/${appGuid}/processes/web`);
    expect(byType.body.guid).toBe(web.guid);
    expect((await call('GET', `/v3/apps/${appGuid}/processes/worker`)).status).toBe(404);
  });

  it('scales instances, memory and disk, refusing out-of-range values', async () => {
    const scaled = await call<Proc>('POST', `/v3/apps/${appGuid}/processes/web/actions/scale`, {
      instances: 3,
      memory_in_mb: 256,
    });
    expect(scaled.status).toBe(202);
    expect(scaled.body).toEqual(
      expect.objectContaining({ instances: 3, memory_in_mb: 256, disk_in_mb: 1024 }),
    );
    for (const body of [
      { instances: -1 },
      { memory_in_mb: 0 },
      { instances: 'three' },
      { cpu: 2 },
    ]) {
      const bad = await call<ErrorResponse>(
        'POST',
        `/v3/processes/${scaled.body.guid}/actions/scale`,
        body,
      );
      expect(bad.status).toBe(422);
    }
    expect((await call<Proc>('GET', `/v3/processes/${scaled.body.guid}`)).body.instances).toBe(3);
  });

  it('updates the command and health check; hides commands in lists only', async () => {
    const web = (await call<Proc>('GET', `/v3/apps/${appGuid}/processes/web`)).body;
    const updated = await call<Proc>('PATCH', `/v3/processes/${web.guid}`, {
      command: 'node server.js --secret=x',
      health_check: { type: 'http', data: { endpoint: '/health', timeout: 90 } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.command).toBe('node server.js --secret=x');
    expect(updated.body.health_check).toEqual({
      type: 'http',
      data: { timeout: 90, invocation_timeout: null, interval: null, endpoint: '/health' },
    });
    const list = await call<ListResponse<Proc>>('GET', `/v3/processes?app_guids=${appGuid}`);
    expect(list.body.resources[0]?.command).toBe('[PRIVATE DATA HIDDEN IN LISTS]');
    const tooLong = await call<ErrorResponse>('PATCH', `/v3/processes/${web.guid}`, {
      health_check: { type: 'port', data: { timeout: 500 } },
    });
    expect(tooLong.status).toBe(422);
    const endpointOnPort = await call<ErrorResponse>('PATCH', `/v3/processes/${web.guid}`, {
      health_check: { type: 'port', data: { endpoint: '/x' } },
    });
    expect(endpointOnPort.status).toBe(422);
  });

  it('hides processes of apps the caller cannot see', async () => {
    const web = (await call<Proc>('GET', `/v3/apps/${appGuid}/processes/web`)).body;
    const outsider = await platform.login('proc-outsider');
    expect((await call('GET', `/v3/processes/${web.guid}`, undefined, outsider)).status).toBe(404);
    expect(
      (await call<ListResponse<Proc>>('GET', '/v3/processes', undefined, outsider)).body.resources,
    ).toEqual([]);
    expect(
      (await call('POST', `/v3/processes/${web.guid}/actions/scale`, { instances: 0 }, outsider))
        .status,
    ).toBe(404);
  });
});
