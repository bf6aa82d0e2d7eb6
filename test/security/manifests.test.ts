import type { AppResource, ListResponse } from '@wharf/contracts';
import { DomainSeedAction } from '@wharf/routing';
import { apiCall } from '../support/api-call';
import { startTestPlatform, TestPlatform } from '../support/test-platform';
import { databaseSnapshot, expectCfError, orgAndSpace } from './support/catalogue';

/**
 * The bad-input catalogue, YAML manifests (POST /v3/spaces/:guid/actions/apply_manifest): each
 * answers one CF error and applies nothing (every table of the database as before).
 */
jest.setTimeout(60_000);

let platform: TestPlatform;
let token: string;
let space: string;
const call = apiCall(
  () => platform.url,
  () => token,
);

async function apply(
  yaml: string | Buffer,
  contentType = 'application/x-yaml',
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${platform.url}/v3/spaces/${space}/actions/apply_manifest`, {
    method: 'POST',
    headers: { authorization: `bearer ${token}`, 'content-type': contentType },
    body: yaml,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function refusedUnchanged(
  yaml: string | Buffer,
  status: number,
  code: number,
  title: string,
  detail: string | RegExp,
  contentType?: string,
): Promise<void> {
  const before = await databaseSnapshot(platform.config.databaseUrl);
  expectCfError(await apply(yaml, contentType), status, code, title, detail);
  expect(await databaseSnapshot(platform.config.databaseUrl)).toEqual(before);
}

const invalid = (yaml: string, detail: string | RegExp) =>
  refusedUnchanged(yaml, 422, 10008, 'CF-UnprocessableEntity', detail);

/** Nine levels of nine aliases each: 9^9 (387 million) strings once expanded. */
const billionLaughs = (where: (top: string) => string) => {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  return `x-bomb:\n${levels.map((l) => `  ${l}`).join('\n')}\n${where('*i')}`;
};

beforeAll(async () => {
  platform = await startTestPlatform();
  await platform.api.get(DomainSeedAction).execute();
  token = await platform.login('manifest-attacker', { admin: true });
  ({ space } = await orgAndSpace(call, 'manifest-org'));
  // One app the manifests below name: none of them may change it.
  const res = await apply(
    'applications:\n- name: existing\n  memory: 64M\n  env:\n    KEEP: "1"\n',
  );
  expect(res.status).toBe(202);
});
afterAll(async () => platform?.close());

describe('resource exhaustion', () => {
  it('a YAML alias bomb (billion laughs) in an app env', async () => {
    await invalid(
      billionLaughs((bomb) => `applications:\n- name: bomb\n  env:\n    LOL: ${bomb}\n`),
      /applications\[0\]\.env\.LOL .*must be a string, number or boolean/,
    );
  });

  it('a YAML alias bomb (billion laughs) in a service binding parameters', async () => {
    await invalid(
      billionLaughs(
        (bomb) =>
          `applications:\n- name: bomb\n  services:\n  - name: db\n    parameters: ${bomb}\n`,
      ),
      /./,
    );
  });

  it('a YAML alias bomb (billion laughs) as the applications list', async () => {
    await invalid(
      billionLaughs((bomb) => `applications: ${bomb}\n`),
      /applications/,
    );
  });

  it('a YAML document nested 100000 levels deep (flow sequences)', async () => {
    await invalid(`applications: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, /./);
  });

  it('a YAML document nested 1000 levels deep (block maps)', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k${i}:`);
    await invalid(
      `applications:\n- name: deep\n  env:\n${lines.map((l) => `    ${l}`).join('\n')} x\n`,
      /./,
    );
  });

  it('a 10 MB manifest', async () => {
    await refusedUnchanged(
      `applications:\n- name: big\n  env:\n    BIG: "${'x'.repeat(10 * 1024 * 1024)}"\n`,
      413,
      10001,
      'CF-RequestEntityTooLarge',
      'Request entity too large',
    );
  });
});

describe('not YAML, or not a manifest', () => {
  it('tabs for indentation', async () => {
    await invalid('applications:\n-\tname: tabbed\n\tmemory: 64M\n', /not valid YAML/);
  });

  it('binary garbage', async () => {
    await refusedUnchanged(
      Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x7b, 0x5b, 0x3a, 0x0a, 0x3a, 0x3a]),
      422,
      10008,
      'CF-UnprocessableEntity',
      /./,
    );
  });

  it('two YAML documents in one body', async () => {
    await invalid(
      'applications:\n- name: one\n---\napplications:\n- name: two\n',
      /not valid YAML/,
    );
  });

  it('a JavaScript-specific tag (!!js/function) is a plain string, never code', async () => {
    const fn = 'function () { return process.exit(1) }';
    const res = await apply(
      `applications:\n- name: existing\n  env:\n    TAGGED: !!js/function "${fn}"\n`,
    );
    expect(res.status).toBe(202);
    const apps = await call<ListResponse<AppResource>>('GET', `/v3/apps?names=existing`);
    const env = await call<{ var: Record<string, string> }>(
      'GET',
      `/v3/apps/${apps.body.resources[0]?.guid ?? ''}/environment_variables`,
    );
    expect(env.body.var).toEqual({ KEEP: '1', TAGGED: fn });
  });

  it('a duplicated key', async () => {
    await invalid('applications:\n- name: a\n  name: b\n', /not valid YAML/);
  });

  it('a manifest sent as JSON', async () => {
    await refusedUnchanged(
      '{"applications":[{"name":"json"}]}',
      422,
      10008,
      'CF-UnprocessableEntity',
      'Send the manifest as YAML with Content-Type: application/x-yaml.',
      'application/json',
    );
  });

  it('an empty body', async () => {
    await invalid('   \n', 'Send the manifest as YAML');
  });
});

describe('wrong types and names', () => {
  it.each([
    ['applications a string', 'applications: web\n', 'applications'],
    ['applications an empty list', 'applications: []\n', 'must be a non-empty list'],
    ['the document a list', '- name: web\n', 'the document'],
    ['memory not a size', 'applications:\n- name: m\n  memory: lots\n', 'memory'],
    ['instances negative', 'applications:\n- name: m\n  instances: -1\n', 'instances'],
    ['instances a string', 'applications:\n- name: m\n  instances: "3"\n', 'instances'],
    [
      'instances 10^309 (Infinity)',
      `applications:\n- name: m\n  instances: 1${'0'.repeat(309)}\n`,
      'instances',
    ],
    ['env a list', 'applications:\n- name: m\n  env: [A=1]\n', 'env'],
    ['an env value a map', 'applications:\n- name: m\n  env:\n    A: {b: 1}\n', 'env.A'],
    ['routes a string', 'applications:\n- name: m\n  routes: m.apps.localhost\n', 'routes'],
    ['an app without a name', 'applications:\n- memory: 64M\n', 'name'],
    ['an app named with an empty string', 'applications:\n- name: ""\n', 'name'],
    ['an app name a map', 'applications:\n- name: {a: 1}\n', 'name'],
  ])('%s', async (_what, yaml, detail) => {
    await invalid(yaml, detail);
  });

  it.each([
    ["an environment variable named 'PORT=1'", 'PORT=1'],
    ['an environment variable named VCAP_SERVICES', 'VCAP_SERVICES'],
  ])('%s in the second app: the first is not applied either', async (_what, name) => {
    await invalid(
      `applications:\n- name: first-ok\n  memory: 64M\n- name: second-bad\n  env:\n    "${name}": x\n`,
      'Environment variable',
    );
  });

  it('a bad env name for the existing app: its env is unchanged', async () => {
    await invalid(
      'applications:\n- name: existing\n  env:\n    "A\\nB": x\n',
      'Environment variable',
    );
  });

  it('none of the above applied anything: the one app as it was', async () => {
    const apps = await call<ListResponse<AppResource>>('GET', `/v3/apps?space_guids=${space}`);
    expect(apps.body.resources.map((a) => a.name)).toEqual(['existing']);
    const env = await call<{ var: Record<string, string> }>(
      'GET',
      `/v3/apps/${apps.body.resources[0]?.guid ?? ''}/environment_variables`,
    );
    expect(env.body.var).toEqual({
      KEEP: '1',
      TAGGED: 'function () { return process.exit(1) }',
    });
  });
});
