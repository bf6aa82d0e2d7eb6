import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type {
  AppResource,
  BuildResource,
  DropletResource,
  ListResponse,
  PackageResource,
  ProcessResource,
  ProcessStatsResponse,
  SpaceResource,
} from '@wharf/contracts';
import { CellRegisterAction } from '@wharf/cells';
import { SchedulerLeader } from '@wharf/scheduling';
import { createContainerRuntime } from '@wharf/platform/runtime';
import { LogStore } from '@wharf/platform/logstream';
import { startTestPlatform, TestPlatform } from '../support/test-platform';

/**
 * Staging and running on the real Docker engine with the real stack images (npm test's setup
 * builds them): builds, droplets, the scheduler, health checks, crashes and the build errors of
 * each lifecycle step (with a test buildpack that fails where it is told to).
 */
jest.setTimeout(240_000);

const ROOT = resolve(__dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'wharf-stage-'));
const buildpacks = join(work, 'buildpacks');
let platform: TestPlatform;
let token: string;
let spaceGuid: string;

async function call<T>(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
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

async function until<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms = 120_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Creates the app (if needed), uploads `dir` as a tgz and stages it; the build as it ended. */
async function stage(
  name: string,
  dir: string,
  buildpackNames?: string[],
): Promise<{ app: AppResource; build: BuildResource }> {
  const existing = await call<ListResponse<AppResource>>('GET', `/v3/apps?names=${name}`);
  const app =
    existing.body.resources[0] ??
    (
      await call<AppResource>('POST', '/v3/apps', {
        name,
        relationships: { space: { data: { guid: spaceGuid } } },
        ...(buildpackNames
          ? { lifecycle: { type: 'buildpack', data: { buildpacks: buildpackNames } } }
          : {}),
      })
    ).body;
  const pkg = await call<PackageResource>('POST', '/v3/packages', {
    type: 'bits',
    relationships: { app: { data: { guid: app.guid } } },
  });
  const archive = join(work, `${name}-${Date.now()}.tgz`);
  execFileSync('tar', ['-czf', archive, '-C', dir, '.']);
  const form = new FormData();
  form.append('bits', new Blob([readFileSync(archive)]), 'app.tgz');
  const up = await fetch(`${platform.url}/v3/packages/${pkg.body.guid}/upload`, {
    method: 'POST',
    headers: { authorization: `bearer ${token}` },
    body: form,
  });
  expect(up.status).toBe(200);
  const created = await call<BuildResource>('POST', '/v3/builds', {
    package: { guid: pkg.body.guid },
  });
  expect(created.status).toBe(201);
  expect(created.body.state).toBe('STAGING');
  const build = await until('the build to end', async () => {
    const b = (await call<BuildResource>('GET', `/v3/builds/${created.body.guid}`)).body;
    return b.state === 'STAGING' ? null : b;
  });
  return { app, build };
}

async function logLines(appGuid: string, source: string): Promise<string[]> {
  const envelopes = await platform.worker.get(LogStore).read(appGuid, { limit: 1000 });
  return envelopes
    .filter((e) => e.tags.source_type === source)
    .map((e) => Buffer.from(e.log.payload, 'base64').toString('utf8'));
}

async function stats(appGuid: string): Promise<ProcessStatsResponse['resources']> {
  return (await call<ProcessStatsResponse>('GET', `/v3/apps/${appGuid}/processes/web/stats`)).body
    .resources;
}

function failingBuildpack(): void {
  // Detects an app with a FAIL_AT file and fails at the step it names.
  const dir = join(buildpacks, 'failing_buildpack', 'bin');
  mkdirSync(dir, { recursive: true });
  const step = (name: string, extra = '') =>
    writeFileSync(
      join(dir, name),
      `#!/usr/bin/env bash\n${extra}grep -qx ${name} "$1/FAIL_AT" && { echo "failing in ${name} as told" >&2; exit 3; }\nexit 0\n`,
      { mode: 0o755 },
    );
  writeFileSync(join(dir, 'detect'), '#!/usr/bin/env bash\n[ -f "$1/FAIL_AT" ]\n', { mode: 0o755 });
  step('supply');
  step('finalize');
  writeFileSync(
    join(dir, 'release'),
    '#!/usr/bin/env bash\ngrep -qx release "$1/FAIL_AT" && { echo "failing in release as told" >&2; exit 3; }\necho "default_process_types: {web: sleep 1000}"\n',
    { mode: 0o755 },
  );
  const compileOnly = join(buildpacks, 'failing_compile_buildpack', 'bin');
  mkdirSync(compileOnly, { recursive: true });
  writeFileSync(join(compileOnly, 'detect'), '#!/usr/bin/env bash\nexit 1\n', { mode: 0o755 });
  writeFileSync(
    join(compileOnly, 'compile'),
    '#!/usr/bin/env bash\necho "compile broke" >&2\nexit 2\n',
    { mode: 0o755 },
  );
  writeFileSync(join(compileOnly, 'release'), '#!/usr/bin/env bash\necho "{}"\n', { mode: 0o755 });
}

beforeAll(async () => {
  cpSync(join(ROOT, 'buildpacks'), buildpacks, { recursive: true });
  failingBuildpack();
  writeFileSync(
    join(buildpacks, 'order'),
    `${readFileSync(join(ROOT, 'buildpacks', 'order'), 'utf8').trim()}\nfailing_buildpack\nfailing_compile_buildpack\n`,
  );
  platform = await startTestPlatform({ buildpacksDir: buildpacks });
  await platform.api
    .get(CellRegisterAction)
    .execute({ name: 'local', dockerEndpoint: platform.config.dockerHost });
  // The scheduler started before the cell existed: its next sweep starts watching the cell.
  await platform.worker.get(SchedulerLeader).sweep();
  token = await platform.login('stager', { admin: true });
  const org = await call<{ guid: string }>('POST', '/v3/organizations', { name: 'o' });
  const space = await call<SpaceResource>('POST', '/v3/spaces', {
    name: 's',
    relationships: { organization: { data: { guid: org.body.guid } } },
  });
  spaceGuid = space.body.guid;
});

afterAll(async () => {
  await platform?.close();
  const runtime = createContainerRuntime(platform.config.dockerHost);
  const mine = { 'wharf.installation': platform.config.installation };
  for (const c of await runtime.listContainers({ labels: mine, all: true }))
    await runtime.removeContainer(c.id, { force: true });
  // Droplet images before the runtime images they are built on.
  const images = await runtime.listImages({ labels: mine });
  images.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const i of images) await runtime.removeImage(i.id, { force: true });
  for (const v of await runtime.listVolumes({ labels: mine })) await runtime.removeVolume(v.name);
  rmSync(work, { recursive: true, force: true });
});

describe('staging', () => {
  let appGuid: string;

  it('stages the node fixture into a droplet with its start command and a checksum', async () => {
    const { app, build } = await stage('node', join(ROOT, 'test/fixtures/node-app'));
    appGuid = app.guid;
    expect(build.error).toBeNull();
    expect(build.state).toBe('STAGED');
    const droplet = (
      await call<DropletResource>('GET', `/v3/droplets/${build.droplet?.guid ?? ''}`)
    ).body;
    expect(droplet.state).toBe('STAGED');
    expect(droplet.process_types).toEqual({ web: 'node server.js' });
    expect(droplet.checksum?.value).toMatch(/^[0-9a-f]{64}$/);
    expect(droplet.buildpacks[0]?.name).toBe('nodejs_buildpack');
    const stg = await logLines(app.guid, 'STG');
    expect(stg).toContain('Installing dependencies with npm ci'.replace(/^/, '-----> '));
    expect(stg).toContain('Uploading complete');
    // The first droplet on its Node.js version: the platform installs it as the shared layer.
    expect(stg).toContainEqual(
      expect.stringMatching(/^Preparing the shared runtime layer nodejs /),
    );
  });

  it('runs the droplet as vcap on 8080 with the CF variables, and replaces a killed instance', async () => {
    const build = (await call<ListResponse<BuildResource>>('GET', `/v3/apps/${appGuid}/builds`))
      .body.resources[0];
    const set = await call('PATCH', `/v3/apps/${appGuid}/relationships/current_droplet`, {
      data: { guid: build?.droplet?.guid },
    });
    expect(set.status).toBe(200);
    const web = (await call<ProcessResource>('GET', `/v3/apps/${appGuid}/processes/web`)).body;
    expect(web.command).toBe('node server.js');
    const started = await call<AppResource>('POST', `/v3/apps/${appGuid}/actions/start`);
    expect(started.body.state).toBe('STARTED');
    const running = await until('a running instance', async () => {
      const s = (await stats(appGuid))[0];
      return s?.state === 'RUNNING' ? s : null;
    });
    const port = running.instance_ports[0]?.external;
    const res = (await (await fetch(`http://127.0.0.1:${port ?? 0}/`)).json()) as Record<
      string,
      unknown
    >;
    expect(res).toEqual(
      expect.objectContaining({ app: 'node', port: 8080, uid: 2000, index: '0' }),
    );

    const runtime = createContainerRuntime(platform.config.dockerHost);
    const [container] = await runtime.listContainers({
      labels: { 'wharf.instance_guid': running.instance_guid },
    });
    // The app itself (not only a shell beside it) has the open-files limit it is told about.
    // Node.js 26 names its main thread node-MainThread, older ones node.
    const limits = await runtime.exec(container?.id ?? 'none', {
      cmd: [
        'bash',
        '-c',
        'for c in /proc/[0-9]*/comm; do case "$(cat "$c")" in node*) grep "Max open files" "${c%comm}limits";; esac; done; ' +
          'printf %s "$VCAP_APPLICATION"',
      ],
    });
    const [line = '', vcap = '{}'] = limits.stdout.split('\n');
    expect((JSON.parse(vcap) as { limits: { fds: number } }).limits.fds).toBe(running.fds_quota);
    expect(line.split(/\s+/).slice(3, 5)).toEqual([
      String(running.fds_quota),
      String(running.fds_quota),
    ]);
    await runtime.killContainer(container?.id ?? 'none');
    const replaced = await until('a new instance', async () => {
      const s = (await stats(appGuid))[0];
      return s?.state === 'RUNNING' && s.instance_guid !== running.instance_guid ? s : null;
    });
    expect(replaced.index).toBe(0);
    // What the new instance writes shows in its stats (its writable layer, measured by the engine).
    const [fresh] = await runtime.listContainers({
      labels: { 'wharf.instance_guid': replaced.instance_guid },
    });
    const MiB = 1024 * 1024;
    const wrote = await runtime.exec(fresh?.id ?? 'none', {
      cmd: ['bash', '-c', `head -c ${3 * MiB} /dev/zero > /tmp/fill`],
    });
    expect(wrote.exitCode).toBe(0);
    const measured = await until(
      'the written file in the disk usage',
      async () => {
        const s = (await stats(appGuid))[0];
        const disk = s && 'disk' in s.usage ? s.usage.disk : null;
        return disk !== null && disk >= 3 * MiB ? disk : null;
      },
      30_000,
    );
    expect(measured).toBeLessThan(replaced.disk_quota);
    expect(await logLines(appGuid, 'API')).toContainEqual(
      expect.stringContaining('"exit_description":"APP/PROC/WEB: Exited with status 137"'),
    );
    expect(await logLines(appGuid, 'APP/PROC/WEB')).toContain('node fixture listening on 8080');
  });

  it('stops: the instances and their containers are gone', async () => {
    await call('POST', `/v3/apps/${appGuid}/actions/stop`);
    const runtime = createContainerRuntime(platform.config.dockerHost);
    await until(
      'no containers',
      async () =>
        (await runtime.listContainers({ labels: { 'wharf.app_guid': appGuid }, all: true }))
          .length === 0,
    );
    expect((await stats(appGuid))[0]?.state).toBe('DOWN');
  });

  it('reuses the build cache the second time', async () => {
    const { build } = await stage('node', join(ROOT, 'test/fixtures/node-app'));
    expect(build.state).toBe('STAGED');
    const stg = await logLines(appGuid, 'STG');
    expect(stg.some((l) => l.startsWith('Downloaded build artifacts cache'))).toBe(true);
  });

  it('a second app on the same Node.js version stages on the shared runtime layer, and runs that version', async () => {
    const { app, build } = await stage('node-second', join(ROOT, 'test/fixtures/node-app'));
    expect(build.state).toBe('STAGED');
    const stg = await logLines(app.guid, 'STG');
    const version = stg
      .map((l) => /^-----> Node\.js \S+ resolves to (v\d+\.\d+\.\d+)/.exec(l)?.[1])
      .find(Boolean);
    expect(version).toMatch(/^v\d+\./);
    expect(stg).toContain(
      `-----> Using Node.js ${version ?? ''} from the platform's shared runtime layer (no download)`,
    );
    expect(stg.some((l) => l.includes('Downloading Node.js'))).toBe(false);
    expect(stg.some((l) => l.startsWith('Preparing the shared runtime layer'))).toBe(false);

    // The droplet's image is built on the runtime image; its own layer links to the runtime.
    const runtime = createContainerRuntime(platform.config.dockerHost);
    const dropletImage = `wharf/droplet:${build.droplet?.guid ?? ''}`;
    const labels = (await runtime.inspectImage(dropletImage))?.labels ?? {};
    const runtimeKey = labels['wharf.runtime_image'] ?? '';
    expect(runtimeKey).toBe(
      `${platform.config.installation}-bookworm-nodejs-${(version ?? '').slice(1)}`,
    );
    expect(await runtime.imageExists(`wharf/runtime:${runtimeKey}`)).toBe(true);
    const id = await runtime.createContainer({
      image: dropletImage,
      entrypoint: ['bash'],
      cmd: ['/lifecycle/launcher.sh', 'readlink /home/vcap/deps/0/node; node -p process.version'],
      network: platform.config.stagingNetwork,
      env: {},
      labels: { 'wharf.installation': platform.config.installation },
    });
    await runtime.startContainer(id);
    expect(await runtime.waitContainer(id)).toBe(0);
    const out: string[] = [];
    for await (const l of runtime.containerLogs(id, { follow: false })) out.push(l.line);
    await runtime.removeContainer(id, { force: true });
    expect(out).toEqual([`/home/vcap/runtimes/nodejs/${(version ?? '').slice(1)}`, version]);
  });

  it.each([
    ['an empty folder', null, 'NoAppDetectedError - '],
    [
      'a supply failure',
      'supply',
      'StagingError - Staging error: the buildpack supply phase failed',
    ],
    [
      'a finalize failure',
      'finalize',
      'StagingError - Staging error: the buildpack finalize phase failed',
    ],
    ['a release failure', 'release', 'BuildpackReleaseFailed - '],
  ])('fails %s with the matching build error', async (_what, failAt, error) => {
    const dir = mkdtempSync(join(work, 'src-'));
    const buildpackList =
      failAt === 'supply' ? ['failing_buildpack', 'failing_buildpack'] : undefined;
    if (failAt) writeFileSync(join(dir, 'FAIL_AT'), `${failAt}\n`);
    const { build } = await stage(`fail-${failAt ?? 'empty'}`, dir, buildpackList);
    expect(build.state).toBe('FAILED');
    expect(build.error).toContain(error);
    expect(build.droplet).toBeNull();
  });

  it('fails a compile failure with BuildpackCompileFailed', async () => {
    const dir = mkdtempSync(join(work, 'src-'));
    writeFileSync(join(dir, 'x'), 'x');
    const { build } = await stage('fail-compile', dir, ['failing_compile_buildpack']);
    expect(build.error).toMatch(/^BuildpackCompileFailed - .*failing_compile_buildpack/);
  });

  it('refuses to stage a package that has no bits', async () => {
    const app = (await call<ListResponse<AppResource>>('GET', '/v3/apps?names=node')).body
      .resources[0];
    const pkg = await call<PackageResource>('POST', '/v3/packages', {
      type: 'bits',
      relationships: { app: { data: { guid: app?.guid } } },
    });
    const build = await call<{ errors: { title: string; detail: string }[] }>(
      'POST',
      '/v3/builds',
      {
        package: { guid: pkg.body.guid },
      },
    );
    expect(build.status).toBe(422);
    expect(build.body.errors[0]?.detail).toContain('upload its bits first');
  });
});
