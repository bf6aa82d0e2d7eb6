import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorResponse, JobResource, ListResponse } from '@wharf/contracts';
import { ArchiveFactory } from '../support/archives';
import { blobExists, PackagesClient, Pkg, scratchIsEmpty } from '../support/packages-client';
import { startTestPlatform, TestPlatform } from '../support/test-platform';

jest.setTimeout(60_000);

const make = new ArchiveFactory();
const files = {
  'package.json': '{"name":"hello"}',
  'server.js': 'require("http").createServer().listen(8080)',
};

afterAll(() => rmSync(make.dir, { recursive: true, force: true }));

describe('packages', () => {
  let platform: TestPlatform;
  let api: PackagesClient;
  let appGuid: string;

  beforeAll(async () => {
    platform = await startTestPlatform();
    api = new PackagesClient(platform, await platform.login('admin', { admin: true }));
    appGuid = await api.newApp('hello');
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('creates a bits package, takes a zip, records its sha256 and serves it back', async () => {
    const pkg = await api.newPackage(appGuid);
    expect(pkg).toEqual(
      expect.objectContaining({
        type: 'bits',
        state: 'AWAITING_UPLOAD',
        data: expect.objectContaining({ checksum: { type: 'sha256', value: null } }) as unknown,
        relationships: { app: { data: { guid: appGuid } } },
      }),
    );
    expect(pkg.links.upload).toEqual({
      href: `${platform.url}/v3/packages/${pkg.guid}/upload`,
      method: 'POST',
    });

    const zip = readFileSync(await make.zip(files));
    const uploaded = await api.upload<Pkg>(pkg.guid, zip);
    expect(uploaded.status).toBe(200);
    expect(uploaded.body.state).toBe('READY');

    // The platform keeps what it unpacked and checked, packed again as a gzipped tar (as Cloud
    // Controller repacks packages): the checksum is that of the bits it serves.
    const download = await fetch(`${platform.url}/v3/packages/${pkg.guid}/download`, {
      headers: { authorization: `bearer ${api.token}` },
    });
    expect(download.status).toBe(200);
    const served = Buffer.from(await download.arrayBuffer());
    expect(uploaded.body.data.checksum.value).toBe(
      createHash('sha256').update(served).digest('hex'),
    );
    const tgz = join(make.dir, 'served.tgz');
    writeFileSync(tgz, served);
    const out = mkdtempSync(join(make.dir, 'served-'));
    execFileSync('tar', ['-xzf', tgz, '-C', out]);
    expect(readFileSync(join(out, 'server.js'), 'utf8')).toBe(files['server.js']);
    expect(readFileSync(join(out, 'package.json'), 'utf8')).toBe(files['package.json']);

    const again = await api.upload<ErrorResponse>(pkg.guid, zip);
    expect(again.status).toBe(422);
    expect(again.body.errors[0]?.detail).toContain('not AWAITING_UPLOAD');
    expect(scratchIsEmpty(platform)).toBe(true);

    const list = await api.call<ListResponse<Pkg>>(
      'GET',
      `/v3/apps/${appGuid}/packages?states=READY`,
    );
    expect(list.body.resources.map((p) => p.guid)).toEqual([pkg.guid]);
  });

  it('takes a gzipped tar too', async () => {
    const pkg = await api.newPackage(appGuid);
    const res = await api.upload<Pkg>(pkg.guid, readFileSync(make.tar(files, { gzip: true })));
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('READY');
  });

  it('refuses hostile archives with 422, keeps nothing and leaves the package awaiting upload', async () => {
    const hostile = [
      await make.zip({ 'xx/evil.txt': 'x' }, { rename: { 'xx/evil': '../evil' } }),
      make.tarWithAbsolutePath(),
      await make.zip(files, { symlinks: { leak: '../../../etc/passwd' } }),
      make.tar(files, { symlinks: { leak: '/etc/shadow' } }),
    ];
    for (const archive of hostile) {
      const pkg = await api.newPackage(appGuid);
      const res = await api.upload<ErrorResponse>(pkg.guid, readFileSync(archive));
      expect(res.status).toBe(422);
      expect(res.body.errors[0]?.title).toBe('CF-UnprocessableEntity');
      expect(res.body.errors[0]?.detail).toMatch(/^The uploaded package is invalid: /);
      expect(blobExists(platform, pkg.guid)).toBe(false);
      expect(scratchIsEmpty(platform)).toBe(true);
      expect((await api.call<Pkg>('GET', `/v3/packages/${pkg.guid}`)).body.state).toBe(
        'AWAITING_UPLOAD',
      );
    }
  });

  it('refuses uploads to guids that cannot exist before writing anything', async () => {
    const res = await api.upload<ErrorResponse>('not-a-guid', readFileSync(await make.zip(files)));
    expect(res.status).toBe(404);
    const unknown = await api.upload<ErrorResponse>(
      '3c3c3c3c-1111-4222-8333-444455556666',
      readFileSync(await make.zip(files)),
    );
    expect(unknown.status).toBe(404);
    expect(scratchIsEmpty(platform)).toBe(true);
  });

  it('asks for the bits field, and refuses packages of unknown apps', async () => {
    const pkg = await api.newPackage(appGuid);
    const missing = await api.upload<ErrorResponse>(pkg.guid, null);
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0]?.detail).toContain('"bits"');
    const orphan = await api.call<ErrorResponse>('POST', '/v3/packages', {
      type: 'bits',
      relationships: { app: { data: { guid: '0f0f0f0f-1111-4222-8333-444455556666' } } },
    });
    expect(orphan.status).toBe(422);
    expect(orphan.body.errors[0]?.detail).toContain('Invalid app');
    const docker = await api.call<ErrorResponse>('POST', '/v3/packages', {
      type: 'docker',
      relationships: { app: { data: { guid: appGuid } } },
    });
    expect(docker.status).toBe(422);
    const build = await api.call<ErrorResponse>('POST', '/v3/builds', {
      package: { guid: '0f0f0f0f-1111-4222-8333-444455556666' },
    });
    expect(build.status).toBe(422);
    expect(build.body.errors[0]?.detail).toBe(
      'Unable to use package. Ensure that the package exists and you have access to it.',
    );
  });

  it('matches pooled resources, so a re-push sends only the changed files', async () => {
    const big = 'x'.repeat(100 * 1024) + Math.random().toString();
    const sha1 = createHash('sha1').update(big).digest('hex');
    const first = await api.newPackage(appGuid);
    const up = await api.upload<Pkg>(
      first.guid,
      readFileSync(await make.zip({ 'vendor/big.js': big, 'server.js': 'v1' })),
    );
    expect(up.status).toBe(200);

    const matches = await api.call<{ resources: { checksum: { value: string } }[] }>(
      'POST',
      '/v3/resource_matches',
      {
        resources: [
          { checksum: { value: sha1 }, size_in_bytes: big.length, path: 'vendor/big.js' },
          { checksum: { value: 'f'.repeat(40) }, size_in_bytes: 200_000, path: 'other.js' },
        ],
      },
    );
    expect(matches.status).toBe(201);
    expect(matches.body.resources.map((r) => r.checksum.value)).toEqual([sha1]);

    // The second upload carries only server.js; big.js comes from the pool.
    const second = await api.newPackage(appGuid);
    const again = await api.upload<Pkg>(
      second.guid,
      readFileSync(await make.zip({ 'server.js': 'v2' })),
      'bits',
      [
        {
          checksum: { value: sha1 },
          size_in_bytes: big.length,
          path: 'vendor/big.js',
          mode: '644',
        },
      ],
    );
    expect(again.status).toBe(200);
    expect(again.body.state).toBe('READY');
    const download = await fetch(`${platform.url}/v3/packages/${second.guid}/download`, {
      headers: { authorization: `bearer ${api.token}` },
    });
    const tgz = join(make.dir, 'downloaded.tgz');
    writeFileSync(tgz, Buffer.from(await download.arrayBuffer()));
    const out = mkdtempSync(join(make.dir, 'x-'));
    execFileSync('tar', ['-xzf', tgz, '-C', out]);
    expect(readFileSync(join(out, 'server.js'), 'utf8')).toBe('v2');
    expect(readFileSync(join(out, 'vendor/big.js'), 'utf8')).toBe(big);

    // A resource that is not in the pool, or a path leaving the app, is refused.
    const third = await api.newPackage(appGuid);
    const unknown = await api.upload<{ errors: { detail: string }[] }>(third.guid, null, 'bits', [
      { checksum: { value: 'e'.repeat(40) }, size_in_bytes: 70_000, path: 'a.js' },
    ]);
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0]?.detail).toContain('not in the resource pool');
    const escaping = await api.upload<{ errors: { detail: string }[] }>(third.guid, null, 'bits', [
      { checksum: { value: sha1 }, size_in_bytes: big.length, path: '../../etc/x' },
    ]);
    expect(escaping.status).toBe(422);
  });

  it('removes packages and their bits with the app', async () => {
    const guid = await api.newApp('short-lived');
    const pkg = await api.newPackage(guid);
    await api.upload<Pkg>(pkg.guid, readFileSync(await make.zip(files)));
    expect(blobExists(platform, pkg.guid)).toBe(true);
    const del = await api.call('DELETE', `/v3/apps/${guid}`);
    const job = new URL(del.headers.get('location') ?? '').pathname;
    for (let i = 0; i < 100; i++) {
      if ((await api.call<JobResource>('GET', job)).body.state === 'COMPLETE') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await api.call('GET', `/v3/packages/${pkg.guid}`)).status).toBe(404);
    expect(blobExists(platform, pkg.guid)).toBe(false);
  });
});

describe('package size limit', () => {
  let platform: TestPlatform;
  let api: PackagesClient;

  beforeAll(async () => {
    platform = await startTestPlatform({ maxPackageBytes: 8 * 1024 });
    api = new PackagesClient(platform, await platform.login('admin', { admin: true }));
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('refuses an upload over the limit with 413 without keeping any of it', async () => {
    const pkg = await api.newPackage(await api.newApp('too-big'));
    const big = readFileSync(
      make.tar({ 'noise.bin': createHash('sha512').update('x').digest('hex').repeat(2000) }),
    );
    expect(big.length).toBeGreaterThan(8 * 1024);
    const res = await api.upload<ErrorResponse>(pkg.guid, big);
    expect(res.status).toBe(413);
    expect(res.body.errors[0]?.title).toBe('CF-RequestEntityTooLarge');
    expect(scratchIsEmpty(platform)).toBe(true);
    expect((await api.call<Pkg>('GET', `/v3/packages/${pkg.guid}`)).body.state).toBe(
      'AWAITING_UPLOAD',
    );
  });
});
