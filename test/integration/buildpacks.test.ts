import type { ErrorResponse, ListResponse } from '@wharf/contracts';
import { startTestPlatform, TestPlatform } from '../support/test-platform';

jest.setTimeout(60_000);

interface Buildpack {
  guid: string;
  name: string;
  position: number;
  stack: string;
  state: string;
  enabled: boolean;
}

let platform: TestPlatform;
let token: string;

const get = async <T>(path: string) => {
  const res = await fetch(`${platform.url}${path}`, {
    headers: { authorization: `bearer ${token}` },
  });
  return { status: res.status, body: (await res.json()) as T };
};

beforeAll(async () => {
  platform = await startTestPlatform();
  token = await platform.login('someone');
});
afterAll(async () => {
  await platform?.close();
});

describe('/v3/buildpacks', () => {
  it('lists the system buildpacks in detection order to any authenticated user', async () => {
    const res = await get<ListResponse<Buildpack>>('/v3/buildpacks');
    expect(res.status).toBe(200);
    expect(res.body.resources.map((b) => [b.position, b.name])).toEqual([
      [1, 'nodejs_buildpack'],
      [2, 'python_buildpack'],
      [3, 'go_buildpack'],
      [4, 'staticfile_buildpack'],
      [5, 'binary_buildpack'],
    ]);
    expect(
      res.body.resources.every((b) => b.state === 'READY' && b.enabled && b.stack === 'bookworm'),
    ).toBe(true);
  });

  it('filters, sorts, paginates and gets one by a stable guid', async () => {
    const named = await get<ListResponse<Buildpack>>(
      '/v3/buildpacks?names=go_buildpack,binary_buildpack&order_by=-position',
    );
    expect(named.body.resources.map((b) => b.name)).toEqual(['binary_buildpack', 'go_buildpack']);
    const paged = await get<ListResponse<Buildpack>>('/v3/buildpacks?per_page=2&page=3');
    expect(paged.body.pagination.total_results).toBe(5);
    expect(paged.body.resources.map((b) => b.name)).toEqual(['binary_buildpack']);
    const go = named.body.resources[1] as Buildpack;
    const again = await get<ListResponse<Buildpack>>('/v3/buildpacks?names=go_buildpack');
    expect(again.body.resources[0]?.guid).toBe(go.guid);
    const one = await get<Buildpack>(`/v3/buildpacks/${go.guid}`);
    expect(one.body.name).toBe('go_buildpack');
    const missing = await get<ErrorResponse>('/v3/buildpacks/7d8e9f00-1111-5222-8333-444455556666');
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0]?.title).toBe('CF-ResourceNotFound');
  });
});
