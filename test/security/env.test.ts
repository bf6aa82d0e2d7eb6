import type { AppResource } from '@wharf/contracts';
import { DomainSeedAction } from '@wharf/routing';
import { apiCall } from '../support/api-call';
import { startTestPlatform, TestPlatform } from '../support/test-platform';
import { databaseSnapshot, expectCfError, orgAndSpace } from './support/catalogue';

/**
 * The bad-input catalogue, environment variables: names and values a container environment
 * cannot hold, or that would set a variable the platform owns, are refused with CF's error and
 * change nothing; what is accepted comes back verbatim from the API.
 */
jest.setTimeout(60_000);

let platform: TestPlatform;
let token: string;
let space: string;
let app: AppResource;
const call = apiCall(
  () => platform.url,
  () => token,
);
const variables = async () =>
  (await call<{ var: Record<string, string> }>('GET', `/v3/apps/${app.guid}/environment_variables`))
    .body.var;

beforeAll(async () => {
  platform = await startTestPlatform();
  await platform.api.get(DomainSeedAction).execute();
  token = await platform.login('env-attacker', { admin: true });
  ({ space } = await orgAndSpace(call, 'env-org'));
  app = (
    await call<AppResource>('POST', '/v3/apps', {
      name: 'target',
      relationships: { space: { data: { guid: space } } },
      environment_variables: { KEEP: 'me' },
    })
  ).body;
});
afterAll(async () => platform?.close());

const refusedNames: [string, string, string][] = [
  ["a name with '=' that would set PORT past the PORT rule", 'PORT=1', "cannot contain '='"],
  ["a name with '='", 'A=B', "cannot contain '='"],
  ['a name with a NUL', 'A\0B', 'control characters'],
  ['a name with a newline that would start a second NAME= line', 'A\nPORT', 'control characters'],
  ['a name with a carriage return', 'A\rB', 'control characters'],
  ['an empty name', '', 'cannot be empty'],
  ['a name starting with VCAP_', 'VCAP_SERVICES', 'cannot start with VCAP_'],
  ['a name starting with vcap_ (any case)', 'vcap_application', 'cannot start with VCAP_'],
  ['a name starting with VMC', 'VMC_TARGET', 'cannot start with VMC_'],
  ['PORT', 'PORT', 'PORT cannot be set'],
  ['port (any case)', 'port', 'PORT cannot be set'],
];

describe('PATCH /v3/apps/:guid/environment_variables', () => {
  it.each(refusedNames)('%s', async (_what, name, detail) => {
    const before = await databaseSnapshot(platform.config.databaseUrl);
    const res = await call('PATCH', `/v3/apps/${app.guid}/environment_variables`, {
      var: { [name]: 'x', ALSO: 'not set' },
    });
    expectCfError(res, 422, 10008, 'CF-UnprocessableEntity', detail);
    expect(await databaseSnapshot(platform.config.databaseUrl)).toEqual(before);
    expect(await variables()).toEqual({ KEEP: 'me' });
  });

  it('a value with a NUL', async () => {
    const before = await databaseSnapshot(platform.config.databaseUrl);
    const res = await call('PATCH', `/v3/apps/${app.guid}/environment_variables`, {
      var: { A: 'before\0after' },
    });
    expectCfError(res, 422, 10008, 'CF-UnprocessableEntity', 'cannot contain a NUL');
    expect(await databaseSnapshot(platform.config.databaseUrl)).toEqual(before);
  });

  it('values with newlines, quotes, $ and = (allowed in CF) are stored and shown verbatim', async () => {
    const odd = {
      PEM: '-----BEGIN CERTIFICATE-----\nMIIB\r\n-----END CERTIFICATE-----\n',
      SHELLISH: '"$(id)" `id` ${HOME} \'; rm -rf / #',
      EQUALS: 'a=b=c',
      UNICODE: 'zürich \u2028 \u{1F600}',
      '1STARTS_WITH_DIGIT': 'CF allows it',
    };
    const res = await call<{ var: Record<string, string> }>(
      'PATCH',
      `/v3/apps/${app.guid}/environment_variables`,
      { var: odd },
    );
    expect(res.status).toBe(200);
    expect(res.body.var).toEqual({ KEEP: 'me', ...odd });
    expect(await variables()).toEqual({ KEEP: 'me', ...odd });
    const env = await call<{ environment_variables: Record<string, string> }>(
      'GET',
      `/v3/apps/${app.guid}/env`,
    );
    expect(env.body.environment_variables).toEqual({ KEEP: 'me', ...odd });
    // Back to what the other tests expect.
    const cleared = Object.fromEntries(Object.keys(odd).map((k) => [k, null]));
    await call('PATCH', `/v3/apps/${app.guid}/environment_variables`, { var: cleared });
    expect(await variables()).toEqual({ KEEP: 'me' });
  });
});

describe('POST /v3/apps with environment_variables', () => {
  it.each(refusedNames)('%s: no app is created', async (_what, name, detail) => {
    const before = await databaseSnapshot(platform.config.databaseUrl);
    const res = await call('POST', '/v3/apps', {
      name: 'never',
      relationships: { space: { data: { guid: space } } },
      environment_variables: { [name]: 'x' },
    });
    expectCfError(res, 422, 10008, 'CF-UnprocessableEntity', detail);
    expect(await databaseSnapshot(platform.config.databaseUrl)).toEqual(before);
  });

  it('a value with a NUL: no app is created', async () => {
    const before = await databaseSnapshot(platform.config.databaseUrl);
    const res = await call('POST', '/v3/apps', {
      name: 'never',
      relationships: { space: { data: { guid: space } } },
      environment_variables: { A: '\0' },
    });
    expectCfError(res, 422, 10008, 'CF-UnprocessableEntity', 'cannot contain a NUL');
    expect(await databaseSnapshot(platform.config.databaseUrl)).toEqual(before);
  });
});
