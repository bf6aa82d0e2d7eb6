import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ErrorResponse } from '@wharf/contracts';
import { hostileTar, hostileZip, linkChain, zipBomb } from '../support/hostile-archives';
import { blobExists, PackagesClient, Pkg, scratchIsEmpty } from '../support/packages-client';
import { startTestPlatform, TestPlatform } from '../support/test-platform';

/**
 * The trust boundary of package uploads, through the API as a space developer reaches it: what a
 * hostile archive can write (nothing outside its scratch directory), what an upload costs before
 * the caller's right to it is known (nothing), and whose pooled files an upload can name (only
 * its own organization's).
 */
jest.setTimeout(120_000);

const guidOf = (token: string): string =>
  (
    JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      user_id: string;
    }
  ).user_id;

/** Every file under `dir` named `name` (links not followed). */
function findNamed(dir: string, name: string): string[] {
  const found: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.name === name) found.push(p);
    if (e.isDirectory()) found.push(...findNamed(p, name));
  }
  return found;
}

let platform: TestPlatform;
let admin: PackagesClient;
let developer: PackagesClient;
let auditor: PackagesClient;
let outsider: PackagesClient;
let appGuid: string;

async function grant(type: string, token: string, target: Record<string, unknown>) {
  const res = await admin.call('POST', '/v3/roles', {
    type,
    relationships: { user: { data: { guid: guidOf(token) } }, ...target },
  });
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  platform = await startTestPlatform({ maxConcurrentUploads: 2 });
  admin = new PackagesClient(platform, await platform.login('admin', { admin: true }));
  appGuid = await admin.newApp('uploads');
  const app = await admin.call<{ relationships: { space: { data: { guid: string } } } }>(
    'GET',
    `/v3/apps/${appGuid}`,
  );
  const spaceGuid = app.body.relationships.space.data.guid;
  const space = await admin.call<{ relationships: { organization: { data: { guid: string } } } }>(
    'GET',
    `/v3/spaces/${spaceGuid}`,
  );
  const orgGuid = space.body.relationships.organization.data.guid;
  developer = new PackagesClient(platform, await platform.login('developer'));
  auditor = new PackagesClient(platform, await platform.login('auditor'));
  outsider = new PackagesClient(platform, await platform.login('outsider'));
  for (const [who, role] of [
    [developer, 'space_developer'],
    [auditor, 'space_auditor'],
  ] as const) {
    await grant('organization_user', who.token, { organization: { data: { guid: orgGuid } } });
    await grant(role, who.token, { space: { data: { guid: spaceGuid } } });
  }
});
afterAll(async () => {
  await platform?.close();
});

describe('hostile archives through the API', () => {
  const cases: [string, () => Promise<Buffer>, RegExp][] = [
    [
      'the link-chain zip',
      () => Promise.resolve(hostileZip(linkChain(12))),
      /entry 'd\/up\/e0\/.*\/escaped\.bin' is inside 'd\/up', which is a link/,
    ],
    [
      'the link-chain tar',
      () => hostileTar(linkChain(12)),
      /entry 'd\/up\/e0\/.*\/escaped\.bin' is inside 'd\/up', which is a link/,
    ],
    [
      'the link-chain tar.gz',
      () => hostileTar(linkChain(12), true),
      /entry 'd\/up\/e0\/.*\/escaped\.bin' is inside 'd\/up', which is a link/,
    ],
    [
      'a zip bomb (150 MB of zeros in well under 1 MB)',
      () => Promise.resolve(zipBomb(150 * 1024 * 1024)),
      /expands to more than 100 times its .* \(at entry 'zeros\.bin'\): a zip bomb/,
    ],
    [
      "a zip entry '../../evil.sh' (zip slip)",
      () => Promise.resolve(hostileZip([{ type: 'file', name: '../../evil.sh' }])),
      /entry '\.\.\/\.\.\/evil\.sh' points outside the app directory/,
    ],
    [
      "a tar entry '/etc/cron.d/evil' (an absolute path)",
      () => hostileTar([{ type: 'file', name: '/etc/cron.d/evil' }]),
      /entry '\/etc\/cron\.d\/evil' has an absolute path/,
    ],
    [
      'a zip link to /etc/passwd',
      () => Promise.resolve(hostileZip([{ type: 'symlink', name: 'pw', target: '/etc/passwd' }])),
      /link 'pw' points to the absolute path '\/etc\/passwd'/,
    ],
    [
      'a tar holding a character device',
      () => hostileTar([{ type: 'character-device', name: 'dev/mem' }]),
      /entry 'dev\/mem' is a character-device/,
    ],
    [
      'a zip with the same file twice',
      () =>
        Promise.resolve(
          hostileZip([
            { type: 'file', name: 'a.js', content: 'one' },
            { type: 'file', name: 'a.js', content: 'two' },
          ]),
        ),
      /entry 'a\.js' appears twice/,
    ],
    [
      'a tar with a hard link to /etc/passwd',
      () =>
        hostileTar([
          { type: 'file', name: 'a' },
          { type: 'hardlink', name: 'passwd', target: '../../../../../../etc/passwd' },
        ]),
      /entry 'passwd' is a hard link/,
    ],
    [
      'a tar whose link climbs out through another link',
      () =>
        hostileTar([
          { type: 'directory', name: 'up' },
          { type: 'symlink', name: 'up/l0', target: '..' },
          { type: 'symlink', name: 'up/l1', target: 'l0/..' },
        ]),
      /link 'up\/l1' leads outside the app directory through other links/,
    ],
  ];

  it.each(cases)(
    '%s: 422 naming the entry, nothing written outside, the package still awaits its bits',
    async (_name, archive, detail) => {
      const pkg = await developer.newPackage(appGuid);
      const bytes = await archive();
      const res = await developer.upload<ErrorResponse>(pkg.guid, bytes);
      expect(res.status).toBe(422);
      expect(res.body.errors[0]?.title).toBe('CF-UnprocessableEntity');
      expect(res.body.errors[0]?.detail).toMatch(detail);
      // The chain would have written escaped.bin up to 13 levels above the package's directory.
      expect(findNamed(resolve(platform.config.stateDir, '..'), 'escaped.bin')).toEqual([]);
      expect(scratchIsEmpty(platform)).toBe(true);
      expect(blobExists(platform, pkg.guid)).toBe(false);
      expect((await developer.call<Pkg>('GET', `/v3/packages/${pkg.guid}`)).body.state).toBe(
        'AWAITING_UPLOAD',
      );
      // The same package takes good bits afterwards.
      const good = hostileZip([{ type: 'file', name: 'server.js', content: 'ok' }]);
      expect((await developer.upload<Pkg>(pkg.guid, good)).body.state).toBe('READY');
    },
  );
});

describe('authorization before bytes', () => {
  it.each([
    ['a user without a role in the space', () => outsider, 404, 'CF-ResourceNotFound'],
    ['a space auditor', () => auditor, 403, 'CF-NotAuthorized'],
  ] as const)(
    '%s is answered before the body is sent, and nothing reaches scratch space',
    async (_who, caller, status, title) => {
      const pkg = await admin.newPackage(appGuid);
      // 64 KiB of an announced 512 MiB: the answer comes while the body is still owed.
      const upload = caller().beginUpload(pkg.guid, 64 * 1024, 512 * 1024 * 1024);
      try {
        const res = await upload.answer;
        expect(res.status).toBe(status);
        expect((JSON.parse(res.body) as ErrorResponse).errors[0]?.title).toBe(title);
      } finally {
        upload.abort();
      }
      expect(scratchIsEmpty(platform)).toBe(true);
    },
  );

  it('a package that already has its bits is refused before the body is read', async () => {
    const pkg = await developer.newPackage(appGuid);
    await developer.upload<Pkg>(pkg.guid, hostileZip([{ type: 'file', name: 'a', content: 'a' }]));
    const upload = developer.beginUpload(pkg.guid, 1024, 256 * 1024 * 1024);
    try {
      const res = await upload.answer;
      expect(res.status).toBe(422);
      expect(res.body).toContain('not AWAITING_UPLOAD');
    } finally {
      upload.abort();
    }
  });

  it('a malformed resources field leaves no scratch file behind', async () => {
    const pkg = await developer.newPackage(appGuid);
    const form = new FormData();
    form.append('bits', new Blob([hostileZip([{ type: 'file', name: 'a' }])]), 'app.zip');
    form.append('resources', '[{"checksum": ');
    const res = await fetch(`${platform.url}/v3/packages/${pkg.guid}/upload`, {
      method: 'POST',
      headers: { authorization: `bearer ${developer.token}` },
      body: form,
    });
    expect(res.status).toBe(422);
    // The scratch file is removed when the response has gone out.
    await new Promise((r) => setTimeout(r, 200));
    expect(scratchIsEmpty(platform)).toBe(true);
  });

  it('one user holds at most the configured number of uploads at once (429 beyond)', async () => {
    const held = [];
    for (let i = 0; i < 2; i++) {
      const pkg = await developer.newPackage(appGuid);
      held.push(developer.beginUpload(pkg.guid, 1024, 64 * 1024 * 1024));
    }
    // Let the two reach the API and take their slots.
    await new Promise((r) => setTimeout(r, 500));
    const third = await developer.newPackage(appGuid);
    const good = hostileZip([{ type: 'file', name: 'a', content: 'a' }]);
    const refused = await developer.upload<ErrorResponse>(third.guid, good);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0]).toEqual(
      expect.objectContaining({ code: 10013, title: 'CF-RateLimitExceeded' }),
    );
    // Another user is not held up by this one.
    const other = await admin.newPackage(appGuid);
    expect((await admin.upload<Pkg>(other.guid, good)).status).toBe(200);
    // A slot is given back when its upload is cut off.
    for (const h of held) h.abort();
    await Promise.allSettled(held.map((h) => h.answer));
    await new Promise((r) => setTimeout(r, 500));
    expect((await developer.upload<Pkg>(third.guid, good)).body.state).toBe('READY');
    await new Promise((r) => setTimeout(r, 200));
    expect(scratchIsEmpty(platform)).toBe(true);
  });
});

describe('the resource pool, per organization', () => {
  it("hands a file's bytes only to packages of the organization that uploaded it", async () => {
    const big = Buffer.from('y'.repeat(100 * 1024) + Math.random().toString());
    const sha1 = createHash('sha1').update(big).digest('hex');
    const resource = { checksum: { value: sha1 }, size_in_bytes: big.length };
    const first = await developer.newPackage(appGuid);
    const up = await developer.upload<Pkg>(
      first.guid,
      hostileZip([{ type: 'file', name: 'vendor/secret.bin', content: big }]),
    );
    expect(up.status).toBe(200);
    const pooled = (
      await developer.call<{ resources: unknown[] }>('POST', '/v3/resource_matches', {
        resources: [resource],
      })
    ).body.resources;
    expect(pooled).toHaveLength(1);

    // A developer of another organization who knows the sha1 and size gets no match …
    const elsewhere = new PackagesClient(platform, await platform.login('other-tenant'));
    const theirApp = await admin.newApp('other-tenant-app');
    const theirSpace = (
      await admin.call<{ relationships: { space: { data: { guid: string } } } }>(
        'GET',
        `/v3/apps/${theirApp}`,
      )
    ).body.relationships.space.data.guid;
    const theirOrg = (
      await admin.call<{ relationships: { organization: { data: { guid: string } } } }>(
        'GET',
        `/v3/spaces/${theirSpace}`,
      )
    ).body.relationships.organization.data.guid;
    await grant('organization_user', elsewhere.token, {
      organization: { data: { guid: theirOrg } },
    });
    await grant('space_developer', elsewhere.token, { space: { data: { guid: theirSpace } } });
    const matched = await elsewhere.call<{ resources: unknown[] }>('POST', '/v3/resource_matches', {
      resources: [resource],
    });
    expect(matched.status).toBe(201);
    expect(matched.body.resources).toEqual([]);

    // … and an upload naming it anyway is refused without a byte of it.
    const theirs = await elsewhere.newPackage(theirApp);
    const stolen = await elsewhere.upload<ErrorResponse>(theirs.guid, null, 'bits', [
      { ...resource, path: 'loot.bin', mode: '644' },
    ]);
    expect(stolen.status).toBe(422);
    expect(stolen.body.errors[0]?.detail).toContain('not in the resource pool');
    expect(blobExists(platform, theirs.guid)).toBe(false);

    // The owner's organization still gets it.
    const second = await developer.newPackage(appGuid);
    const again = await developer.upload<Pkg>(second.guid, null, 'bits', [
      { ...resource, path: 'vendor/secret.bin', mode: '644' },
    ]);
    expect(again.body.state).toBe('READY');
    expect(
      statSync(resolve(platform.config.stateDir, 'blobs', 'packages', second.guid)).size,
    ).toBeGreaterThan(0);
  });
});
