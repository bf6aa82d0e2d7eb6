import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ContainerRuntime, createContainerRuntime } from '@wharf/platform/runtime';
import { E2E } from './support/e2e-env';

/**
 * The buildpacks and the staging lifecycle, run as staging will run them: the builder in a
 * wharf/stack-build container as vcap, the result started by the launcher in wharf/stack-run.
 * (The stack images are built by `npm run up`, which the e2e setup ran.)
 */
jest.setTimeout(240_000);

const ROOT = resolve(__dirname, '../..');
const BUILDPACKS = join(ROOT, 'buildpacks');
const VCAP = 2000;

/**
 * Where the engine maps container uid 0 on the host (user namespaces remapped: the start of
 * dockremap's range in /etc/subuid), so that vcap in the container owns the bind-mounted dirs.
 */
function remapBase(): number {
  const options = execFileSync(
    'docker',
    ['-H', E2E.dockerHost, 'info', '--format', '{{json .SecurityOptions}}'],
    { encoding: 'utf8' },
  );
  if (!options.includes('name=userns')) return 0;
  const line = readFileSync('/etc/subuid', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('dockremap:'));
  return Number(line?.split(':')[1] ?? 0);
}
const HOST_VCAP = remapBase() + VCAP;
const run = randomBytes(4).toString('hex');
const labels = { 'wharf.managed': 'true', 'wharf.test-run': run };
const work = mkdtempSync(join(tmpdir(), 'wharf-bp-'));
let runtime: ContainerRuntime;

function chownTree(path: string): void {
  chownSync(path, HOST_VCAP, HOST_VCAP);
  if (statSync(path).isDirectory()) for (const e of readdirSync(path)) chownTree(join(path, e));
}

interface Staging {
  dir: string;
  exitCode: number;
  output: string;
  startCommand: string;
}

function prepare(fixture: string | null, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(work, 'app-'));
  for (const d of ['app', 'cache', 'deps', 'output']) mkdirSync(join(dir, d));
  if (fixture) cpSync(join(ROOT, 'test/fixtures', fixture), join(dir, 'app'), { recursive: true });
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, 'app', name), content);
  chownTree(dir);
  return dir;
}

async function stage(dir: string, env: Record<string, string> = {}): Promise<Staging> {
  rmSync(join(dir, 'deps'), { recursive: true, force: true });
  mkdirSync(join(dir, 'deps'));
  chownTree(join(dir, 'deps'));
  const id = await runtime.createContainer({
    image: 'wharf/stack-build:bookworm',
    cmd: ['bash', '/tmp/buildpacks/lifecycle/builder.sh'],
    // Wharf's engine has no default bridge: staging fetches packages on the staging network.
    network: E2E.stagingNetwork,
    env,
    labels,
    user: `${VCAP}:${VCAP}`,
    binds: [
      { source: join(dir, 'app'), target: '/tmp/app', readOnly: false },
      { source: join(dir, 'cache'), target: '/tmp/cache', readOnly: false },
      { source: join(dir, 'deps'), target: '/tmp/deps', readOnly: false },
      { source: join(dir, 'output'), target: '/tmp/output', readOnly: false },
      { source: BUILDPACKS, target: '/tmp/buildpacks', readOnly: true },
    ],
  });
  await runtime.startContainer(id);
  const exitCode = await runtime.waitContainer(id);
  const lines: string[] = [];
  for await (const l of runtime.containerLogs(id, { follow: false })) lines.push(l.line);
  let startCommand = '';
  try {
    const info = readFileSync(join(dir, 'output', 'staging_info.yml'), 'utf8');
    startCommand = /^start_command: "(.*)"$/m.exec(info)?.[1] ?? '';
  } catch {
    // no staging_info.yml when staging failed
  }
  return { dir, exitCode, output: lines.join('\n'), startCommand };
}

async function startAndGet(
  staging: Staging,
  path = '/',
): Promise<{ status: number; text: string }> {
  const id = await runtime.createContainer({
    image: 'wharf/stack-run:bookworm',
    cmd: ['bash', '/home/vcap/launcher.sh', staging.startCommand],
    network: E2E.appsNetwork,
    env: { PORT: '8080', CF_INSTANCE_INDEX: '0' },
    labels,
    user: `${VCAP}:${VCAP}`,
    ports: [{ containerPort: 8080, hostIp: '127.0.0.1' }],
    binds: [
      { source: join(staging.dir, 'app'), target: '/home/vcap/app', readOnly: false },
      { source: join(staging.dir, 'deps'), target: '/home/vcap/deps', readOnly: true },
      {
        source: join(BUILDPACKS, 'lifecycle/launcher.sh'),
        target: '/home/vcap/launcher.sh',
        readOnly: true,
      },
    ],
  });
  await runtime.startContainer(id);
  const port = (await runtime.inspectContainer(id))?.ports[0]?.hostPort;
  for (let i = 0; i < 100; i++) {
    try {
      // A short timeout: docker-proxy accepts before the app listens, and a fetch can then hang.
      const res = await fetch(`http://127.0.0.1:${port ?? 0}${path}`, {
        signal: AbortSignal.timeout(2000),
      });
      return { status: res.status, text: await res.text() };
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const logs: string[] = [];
  for await (const l of runtime.containerLogs(id, { follow: false })) logs.push(l.line);
  throw new Error(`the app never answered on port 8080:\n${logs.join('\n')}`);
}

beforeAll(() => {
  runtime = createContainerRuntime(E2E.dockerHost);
});

afterAll(async () => {
  for (const c of await runtime.listContainers({ 'wharf.test-run': run }, { all: true })) {
    await runtime.removeContainer(c.id, { force: true });
  }
  rmSync(work, { recursive: true, force: true });
});

describe('buildpacks through the staging lifecycle', () => {
  it('nodejs: npm ci from the lockfile, runs the start script as vcap on $PORT, reuses the cache', async () => {
    const staged = await stage(prepare('node-app'));
    expect(staged.exitCode).toBe(0);
    expect(staged.output).toContain('-----> Nodejs Buildpack');
    expect(staged.output).toContain('Installing dependencies with npm ci');
    expect(staged.startCommand).toBe('node server.js');
    const res = await startAndGet(staged);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual(
      expect.objectContaining({ app: 'node', port: 8080, uid: VCAP, twoHours: 7_200_000 }),
    );

    rmSync(join(staged.dir, 'app', 'node_modules'), { recursive: true, force: true });
    const again = await stage(staged.dir);
    expect(again.exitCode).toBe(0);
    expect(again.output).toContain('Restoring node_modules from the build cache');
  });

  it('nodejs: installs the Node.js engines.node asks for from the npm registry', async () => {
    const dir = prepare('node-app');
    const pkg = JSON.parse(readFileSync(join(dir, 'app/package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    writeFileSync(
      join(dir, 'app/package.json'),
      JSON.stringify({ ...pkg, engines: { node: '22.x' } }),
    );
    const staged = await stage(dir);
    expect(staged.exitCode).toBe(0);
    expect(staged.output).toMatch(/Node\.js 22\.x resolves to v22\.\d+\.\d+ \(engines\.node/);
  });

  it('python: a stdlib app runs with python3 app.py', async () => {
    const staged = await stage(prepare('python-app'));
    expect(staged.exitCode).toBe(0);
    expect(staged.startCommand).toBe('python3 app.py');
    const res = await startAndGet(staged);
    expect(JSON.parse(res.text)).toEqual({ app: 'python', port: 8080, uid: VCAP });
  });

  it('python: installs requirements.txt offline from wheels vendored in vendor/', async () => {
    const staged = await stage(prepare('python-vendored'));
    expect(staged.exitCode).toBe(0);
    expect(staged.output).toContain('Installing requirements.txt from vendor/ (offline)');
    const res = await startAndGet(staged);
    expect(JSON.parse(res.text)).toEqual({
      app: 'python-vendored',
      greeting: 'hello from a vendored wheel',
    });
  });

  it('go: builds one static binary with vendored modules, run in the runtime-only stack', async () => {
    const staged = await stage(prepare('go-app'));
    expect(staged.exitCode).toBe(0);
    expect(staged.output).toContain('Using vendored modules');
    expect(staged.startCommand).toBe('./bin/hello');
    const res = await startAndGet(staged);
    expect(JSON.parse(res.text)).toEqual({
      app: 'go',
      port: '8080',
      uid: VCAP,
      greeting: 'hello from a vendored module',
    });
  });

  it('staticfile: nginx serves index.html as vcap', async () => {
    const staged = await stage(prepare('static-app'));
    expect(staged.exitCode).toBe(0);
    const res = await startAndGet(staged);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Hello from a Wharf static site');
    expect((await startAndGet(staged, '/.staticfile/nginx.conf.template')).status).toBe(403);
  });

  it('binary: used only when named; runs the given command', async () => {
    const dir = prepare(null, { 'run.sh': '#!/bin/sh\nexec python3 -m http.server "$PORT"\n' });
    const detected = await stage(dir);
    expect(detected.exitCode).toBe(222);
    const named = await stage(dir, { BUILDPACKS: 'binary_buildpack' });
    expect(named.exitCode).toBe(0);
    expect(named.output).toContain('Binary Buildpack');
    expect((await startAndGet({ ...named, startCommand: 'sh run.sh' })).status).toBe(200);
  });

  it('fails with CF exit codes: 222 when nothing detects, 225 when supply fails', async () => {
    const empty = await stage(prepare(null));
    expect(empty.exitCode).toBe(222);
    expect(empty.output).toContain('None of the buildpacks detected a compatible application');
    const unvendored = await stage(prepare('python-app', { 'requirements.txt': 'flask==3.0.0\n' }));
    expect(unvendored.exitCode).toBe(225);
    expect(unvendored.output).toContain('there is no vendor/ directory');
    const unknown = await stage(prepare('python-app'), { BUILDPACKS: 'cobol_buildpack' });
    expect(unknown.exitCode).toBe(222);
    expect(unknown.output).toContain("Buildpack 'cobol_buildpack' is not installed");
  });
});
