import { gzipSync } from 'node:zlib';
import type { AppResource, ListResponse } from '@wharf/contracts';
import { DomainSeedAction } from '@wharf/routing';
import { apiCall } from '../support/api-call';
import { startTestPlatform, TestPlatform } from '../support/test-platform';
import { databaseSnapshot, expectCfError, orgAndSpace } from './support/catalogue';

/**
 * The bad-input catalogue, JSON bodies: each attack is sent to the real API (HTTP, on PostgreSQL
 * and Redis) and answers one CF error, never a 500, and writes nothing (every table of the
 * database is the same before and after).
 */
jest.setTimeout(60_000);

let platform: TestPlatform;
let token: string;
let space: string;
let app: AppResource;
let webProcess: string;
let domain: string;
const call = apiCall(
  () => platform.url,
  () => token,
);

/** A body sent as raw bytes with the headers given (JSON by default). */
async function send(
  method: string,
  path: string,
  body: string | Buffer,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${platform.url}${path}`, {
    method,
    headers: { authorization: `bearer ${token}`, ...headers },
    body,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* the assertions below say what was expected */
  }
  return { status: res.status, body: parsed };
}

/** Asserts the request answers the CF error given and changes no row of any table. */
async function refusedUnchanged(
  request: () => Promise<{ status: number; body: unknown }>,
  status: number,
  code: number,
  title: string,
  detail: string | RegExp,
): Promise<void> {
  const before = await databaseSnapshot(platform.config.databaseUrl);
  const res = await request();
  expectCfError(res, status, code, title, detail);
  expect(await databaseSnapshot(platform.config.databaseUrl)).toEqual(before);
}

const nested = (depth: number, open: string, close: string, inner = '1') =>
  `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

beforeAll(async () => {
  platform = await startTestPlatform();
  await platform.api.get(DomainSeedAction).execute();
  token = await platform.login('json-attacker', { admin: true });
  ({ space } = await orgAndSpace(call, 'json-org'));
  app = (
    await call<AppResource>('POST', '/v3/apps', {
      name: 'target',
      relationships: { space: { data: { guid: space } } },
    })
  ).body;
  const processes = await call<ListResponse<{ guid: string; type: string }>>(
    'GET',
    `/v3/apps/${app.guid}/processes`,
  );
  webProcess = processes.body.resources.find((p) => p.type === 'web')?.guid ?? '';
  const domains = await call<ListResponse<{ guid: string; name: string }>>('GET', '/v3/domains');
  domain = domains.body.resources.find((d) => d.name === 'apps.localhost')?.guid ?? '';
  expect([app.guid, webProcess, domain].every(Boolean)).toBe(true);
});
afterAll(async () => platform?.close());

describe('deep nesting', () => {
  const DEPTH = 100_000;
  it.each([
    ['an array nested 100000 levels deep as the whole body', () => nested(DEPTH, '[', ']')],
    [
      'an object nested 100000 levels deep in an unknown field',
      () =>
        `{"name":"deep","relationships":{"space":{"data":{"guid":"${space}"}}},"x":${nested(DEPTH, '{"a":', '}')}}`,
    ],
    [
      'an object nested 100000 levels deep in metadata.labels',
      () =>
        `{"name":"deep","relationships":{"space":{"data":{"guid":"${space}"}}},"metadata":{"labels":${nested(DEPTH, '{"a":', '}')}}}`,
    ],
    [
      'an array nested 100000 levels deep in environment_variables',
      () =>
        `{"name":"deep","relationships":{"space":{"data":{"guid":"${space}"}}},"environment_variables":{"A":${nested(DEPTH, '[', ']')}}}`,
    ],
  ])('a JSON body nested 100000 levels deep: %s (POST /v3/apps)', async (_what, body) => {
    await refusedUnchanged(
      () => send('POST', '/v3/apps', body()),
      400,
      1001,
      'CF-MessageParseError',
      'nested deeper than 100 levels',
    );
  });

  it('a JSON body nested 100000 levels deep in a user-provided service instance credentials', async () => {
    const body = `{"type":"user-provided","name":"deep","relationships":{"space":{"data":{"guid":"${space}"}}},"credentials":${nested(DEPTH, '{"a":', '}')}}`;
    await refusedUnchanged(
      () => send('POST', '/v3/service_instances', body),
      400,
      1001,
      'CF-MessageParseError',
      'nested deeper than 100 levels',
    );
  });

  it('a JSON body nested 100 levels deep (the limit) is read as usual', async () => {
    const body = `{"type":"user-provided","name":"deep-100","relationships":{"space":{"data":{"guid":"${space}"}}},"credentials":${nested(99, '{"a":', '}')}}`;
    const res = await send('POST', '/v3/service_instances', body);
    expect(res.status).toBe(201);
    const guid = (res.body as { guid: string }).guid;
    expect((await call('DELETE', `/v3/service_instances/${guid}`)).status).toBe(204);
  });
});

describe('size and encoding', () => {
  it('a 10 MB JSON body', async () => {
    const body = JSON.stringify({
      name: 'big',
      relationships: { space: { data: { guid: space } } },
      environment_variables: { BIG: 'x'.repeat(10 * 1024 * 1024) },
    });
    await refusedUnchanged(
      () => send('POST', '/v3/apps', body),
      413,
      10001,
      'CF-RequestEntityTooLarge',
      'Request entity too large',
    );
  });

  it('a gzip-compressed JSON body of 10 KB that inflates to 10 MB (a decompression bomb)', async () => {
    const inflated = JSON.stringify({
      name: 'bomb',
      relationships: { space: { data: { guid: space } } },
      environment_variables: { BIG: 'x'.repeat(10 * 1024 * 1024) },
    });
    const compressed = gzipSync(inflated);
    expect(compressed.length).toBeLessThan(64 * 1024);
    await refusedUnchanged(
      () =>
        send('POST', '/v3/apps', compressed, {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
        }),
      413,
      10001,
      'CF-RequestEntityTooLarge',
      'Request entity too large',
    );
  });

  it('a body in a content encoding the API does not know (br, or made up)', async () => {
    await refusedUnchanged(
      () =>
        send('POST', '/v3/apps', '{}', {
          'content-type': 'application/json',
          'content-encoding': 'x-made-up',
        }),
      400,
      1001,
      'CF-MessageParseError',
      'x-made-up',
    );
  });

  it('a JSON body in UTF-16 (or a charset body-parser has never heard of)', async () => {
    const body = Buffer.from(
      `{"name":"utf16","relationships":{"space":{"data":{"guid":"${space}"}}}}`,
      'utf16le',
    );
    await refusedUnchanged(
      () =>
        send('POST', '/v3/apps', body, { 'content-type': 'application/json; charset=utf-16le' }),
      400,
      1001,
      'CF-MessageParseError',
      'JSON must be UTF-8',
    );
    await refusedUnchanged(
      () => send('POST', '/v3/apps', '{}', { 'content-type': 'application/json; charset=klingon' }),
      400,
      1001,
      'CF-MessageParseError',
      'unsupported charset "KLINGON"',
    );
  });
});

describe('not JSON, or not an object', () => {
  it.each([
    ['a truncated object', '{"name":"x",'],
    ['trailing garbage', '{"name":"x"} {"name":"y"}'],
    ['single quotes', "{'name':'x'}"],
    ['a NaN literal', '{"name":NaN}'],
    ['a lone surrogate escape in a string', '{"name":"\\ud800"'],
    ['a bare string (not an object or array)', '"just a string"'],
    ['null', 'null'],
  ])('a body that is %s', async (_what, body) => {
    await refusedUnchanged(
      () => send('POST', '/v3/apps', body),
      400,
      1001,
      'CF-MessageParseError',
      'Request invalid due to parse error',
    );
  });

  it.each([
    ['an array', '[{"name":"x"}]'],
    ['an empty object', '{}'],
  ])('a JSON body that is %s where an app is expected', async (_what, body) => {
    await refusedUnchanged(
      () => send('POST', '/v3/apps', body),
      422,
      10008,
      'CF-UnprocessableEntity',
      /./,
    );
  });
});

describe('wrong types', () => {
  const rel = () => ({ space: { data: { guid: space } } });
  it.each([
    [
      'POST /v3/apps: name a number',
      'POST',
      '/v3/apps',
      () => ({ name: 42, relationships: rel() }),
      'name must be a string',
    ],
    [
      'POST /v3/apps: name an object',
      'POST',
      '/v3/apps',
      () => ({ name: { $ne: '' }, relationships: rel() }),
      'name must be a string',
    ],
    [
      'POST /v3/apps: name null',
      'POST',
      '/v3/apps',
      () => ({ name: null, relationships: rel() }),
      'name must be a string',
    ],
    [
      'POST /v3/apps: relationships a string',
      'POST',
      '/v3/apps',
      () => ({ name: 'x', relationships: 'space' }),
      'relationships',
    ],
    [
      'POST /v3/apps: the space guid a number',
      'POST',
      '/v3/apps',
      () => ({ name: 'x', relationships: { space: { data: { guid: 7 } } } }),
      'guid must be a UUID',
    ],
    [
      'POST /v3/apps: the space guid a SQL fragment',
      'POST',
      '/v3/apps',
      () => ({ name: 'x', relationships: { space: { data: { guid: "' OR 1=1 --" } } } }),
      'guid must be a UUID',
    ],
    [
      'POST /v3/apps: environment_variables an array',
      'POST',
      '/v3/apps',
      () => ({ name: 'x', relationships: rel(), environment_variables: ['A=1'] }),
      'environment_variables',
    ],
    [
      'POST /v3/apps: an environment value a number',
      'POST',
      '/v3/apps',
      () => ({ name: 'x', relationships: rel(), environment_variables: { A: 1 } }),
      'environment_variables',
    ],
    [
      'POST /v3/apps: lifecycle.type unknown',
      'POST',
      '/v3/apps',
      () => ({ name: 'x', relationships: rel(), lifecycle: { type: 'kpack' } }),
      'lifecycle.type',
    ],
    [
      'POST /v3/routes: host a number',
      'POST',
      '/v3/routes',
      () => ({
        host: 1,
        relationships: { space: { data: { guid: space } }, domain: { data: { guid: domain } } },
      }),
      'host must be a string',
    ],
    [
      'POST /v3/routes: path an array',
      'POST',
      '/v3/routes',
      () => ({
        host: 'h',
        path: ['/a'],
        relationships: { space: { data: { guid: space } }, domain: { data: { guid: domain } } },
      }),
      'path must be a string',
    ],
    [
      'POST /v3/routes: the domain relationship null',
      'POST',
      '/v3/routes',
      () => ({ host: 'h', relationships: { space: { data: { guid: space } }, domain: null } }),
      'domain',
    ],
    [
      'POST /v3/processes/:guid/actions/scale: instances a string',
      'POST',
      'scale',
      () => ({ instances: '3' }),
      'instances must be an integer',
    ],
    [
      'POST /v3/processes/:guid/actions/scale: instances negative',
      'POST',
      'scale',
      () => ({ instances: -1 }),
      'instances must not be less than 0',
    ],
    [
      'POST /v3/processes/:guid/actions/scale: instances 1.5',
      'POST',
      'scale',
      () => ({ instances: 1.5 }),
      'instances must be an integer',
    ],
    [
      'POST /v3/processes/:guid/actions/scale: instances 2^53 + 1',
      'POST',
      'scale',
      () => ({ instances: 2 ** 53 + 2 }),
      'instances must not be greater than 2000',
    ],
    [
      'POST /v3/processes/:guid/actions/scale: memory_in_mb "1G"',
      'POST',
      'scale',
      () => ({ memory_in_mb: '1G' }),
      'memory_in_mb must be an integer',
    ],
    [
      'POST /v3/processes/:guid/actions/scale: memory_in_mb null',
      'POST',
      'scale',
      () => ({ memory_in_mb: null }),
      'memory_in_mb',
    ],
    [
      'POST /v3/service_instances: name a number',
      'POST',
      '/v3/service_instances',
      () => ({ type: 'user-provided', name: 5, relationships: rel() }),
      'name must be a string',
    ],
    [
      'POST /v3/service_instances: credentials a string',
      'POST',
      '/v3/service_instances',
      () => ({ type: 'user-provided', name: 'ups', credentials: 'secret', relationships: rel() }),
      'credentials must be an object',
    ],
    [
      'POST /v3/service_instances: tags of numbers',
      'POST',
      '/v3/service_instances',
      () => ({ type: 'user-provided', name: 'ups', tags: [1, 2], relationships: rel() }),
      'tags',
    ],
    [
      'POST /v3/service_instances: type unknown',
      'POST',
      '/v3/service_instances',
      () => ({ type: 'shared', name: 'ups', relationships: rel() }),
      'type',
    ],
    [
      'POST /v3/organization_quotas: total_memory_in_mb a string',
      'POST',
      '/v3/organization_quotas',
      () => ({ name: 'q', apps: { total_memory_in_mb: 'lots' } }),
      'total_memory_in_mb must be an integer',
    ],
    [
      'POST /v3/organization_quotas: total_routes negative',
      'POST',
      '/v3/organization_quotas',
      () => ({ name: 'q', routes: { total_routes: -5 } }),
      'total_routes must not be less than 0',
    ],
    [
      'POST /v3/organization_quotas: name an object',
      'POST',
      '/v3/organization_quotas',
      () => ({ name: { a: 1 } }),
      'name must be a string',
    ],
    [
      'POST /v3/organization_quotas: apps an array',
      'POST',
      '/v3/organization_quotas',
      () => ({ name: 'q', apps: [1] }),
      'apps',
    ],
    [
      'PATCH /v3/apps/:guid: name a boolean',
      'PATCH',
      'app',
      () => ({ name: true }),
      'name must be a string',
    ],
    [
      'PATCH /v3/apps/:guid/features/revisions: enabled a string',
      'PATCH',
      'feature',
      () => ({ enabled: 'false' }),
      'enabled must be a boolean value',
    ],
    [
      'PATCH /v3/apps/:guid/features/revisions: an unknown field',
      'PATCH',
      'feature',
      () => ({ enabled: false, name: 'ssh' }),
      'name',
    ],
  ])('%s', async (_what, method, target, body, detail) => {
    const paths: Record<string, string> = {
      scale: `/v3/processes/${webProcess}/actions/scale`,
      app: `/v3/apps/${app.guid}`,
      feature: `/v3/apps/${app.guid}/features/revisions`,
    };
    const path = paths[target] ?? target;
    await refusedUnchanged(
      () => call(method, path, body()),
      422,
      10008,
      'CF-UnprocessableEntity',
      detail,
    );
  });

  it('a __proto__ key in environment_variables (prototype poisoning)', async () => {
    await refusedUnchanged(
      () =>
        send(
          'PATCH',
          `/v3/apps/${app.guid}/environment_variables`,
          '{"var":{"__proto__":{"polluted":"yes"},"constructor":"x"}}',
        ),
      400,
      1001,
      'CF-MessageParseError',
      'the key "__proto__" is not accepted',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const env = await call<{ var: Record<string, string> }>(
      'GET',
      `/v3/apps/${app.guid}/environment_variables`,
    );
    expect(env.body.var).toEqual({});
  });

  it('none of the above left anything behind: the one app, untouched, still answers', async () => {
    const apps = await call<ListResponse<AppResource>>('GET', '/v3/apps');
    expect(apps.body.resources.map((a) => [a.guid, a.name])).toEqual([[app.guid, 'target']]);
    const again = await call<AppResource>('GET', `/v3/apps/${app.guid}`);
    expect(again.body.updated_at).toBe(app.updated_at);
  });
});
