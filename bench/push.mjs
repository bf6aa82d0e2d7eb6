#!/usr/bin/env node
// bench/push: how long a push takes, phase by phase, cold (new app, empty build cache) and warm
// (one source file changed), for a small Express app; and, side by side in the same run, the
// floor for the same work done with plain Docker commands on the same engine and images.
//
//   npm run up && node bench/push.mjs [--runs 5]
//
// Phases (from the API and from the timestamps of the app's own log lines):
//   upload   package created → bits uploaded and READY
//   staging  build created → buildpack done ("Exit status 0")
//   image    droplet and cache stored, image made ("Uploading complete")
//   start    start requested → instance RUNNING (health check passed)
//   healthy  container created → healthy, minus the app's own boot (its first line)
// It prints figures; it asserts nothing.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliToken, platformEnv, ROOT } from './platform.mjs';

const FIXTURE = join(ROOT, 'bench/fixtures/express-app');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const env = platformEnv();
const API = env.WHARF_API_URL;
// Every docker command goes to the platform's own engine, which has no default bridge: the floor
// stages on the staging network and runs on the apps network, as Wharf does.
const docker = (args, options = {}) =>
  execFileSync('docker', args, {
    ...options,
    env: { ...process.env, DOCKER_HOST: env.WHARF_DOCKER_HOST },
  });
const token = cliToken();
const work = mkdtempSync(join(tmpdir(), 'wharf-bench-'));

async function call(method, path, body, headers = {}) {
  const res = await send(method, path, body, headers);
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

// A GET is sent again once when the connection it went out on was closed by the API: after the
// floor's seconds of quiet, fetch can reuse a kept-alive socket the server is just closing.
async function send(method, path, body, headers) {
  try {
    return await request(method, path, body, headers);
  } catch (err) {
    if (method !== 'GET' || err?.cause?.code !== 'UND_ERR_SOCKET') throw err;
    return request(method, path, body, headers);
  }
}

function request(method, path, body, headers) {
  return fetch(`${API}${path}`, {
    method,
    headers: {
      authorization: token,
      ...(body && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body:
      body instanceof FormData || typeof body === 'string' ? body : body && JSON.stringify(body),
  });
}

async function until(fn, ms = 300_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function logTimes(appGuid) {
  const read = await call('GET', `/api/v1/read/${appGuid}?descending=true&limit=1000`).catch(
    () => null,
  );
  const lines = (read?.envelopes?.batch ?? []).map((e) => ({
    t: Number(BigInt(e.timestamp) / 1_000_000n),
    source: e.tags.source_type,
    msg: Buffer.from(e.log.payload, 'base64').toString('utf8'),
  }));
  return lines.reverse();
}

async function push(name, dir, spaceGuid) {
  const t = { begin: Date.now() };
  let app = (await call('GET', `/v3/apps?names=${name}&space_guids=${spaceGuid}`)).resources[0];
  app ??= await call('POST', '/v3/apps', {
    name,
    relationships: { space: { data: { guid: spaceGuid } } },
  });
  const pkg = await call('POST', '/v3/packages', {
    type: 'bits',
    relationships: { app: { data: { guid: app.guid } } },
  });
  const archive = join(work, `${name}.tgz`);
  execFileSync('tar', ['-czf', archive, '-C', dir, '.']);
  const form = new FormData();
  form.append('bits', new Blob([readFileSync(archive)]), 'app.tgz');
  await call('POST', `/v3/packages/${pkg.guid}/upload`, form);
  t.uploaded = Date.now();
  const build = await call('POST', '/v3/builds', { package: { guid: pkg.guid } });
  const staged = await until(async () => {
    const b = await call('GET', `/v3/builds/${build.guid}`);
    return b.state !== 'STAGING' && b;
  });
  if (staged.state !== 'STAGED') throw new Error(`staging failed: ${staged.error}`);
  t.staged = Date.now();
  await call('POST', `/v3/apps/${app.guid}/actions/stop`);
  await call('PATCH', `/v3/apps/${app.guid}/relationships/current_droplet`, {
    data: { guid: staged.droplet.guid },
  });
  t.startAsked = Date.now();
  await call('POST', `/v3/apps/${app.guid}/actions/start`);
  await until(async () => {
    const s = await call('GET', `/v3/apps/${app.guid}/processes/web/stats`);
    return s.resources.some((r) => r.state === 'RUNNING');
  });
  t.running = Date.now();
  const lines = (await logTimes(app.guid)).filter((l) => l.t >= t.begin);
  const at = (pred) => lines.find(pred)?.t;
  const lastAt = (pred) => lines.filter(pred).at(-1)?.t;
  const exit0 = at((l) => l.source === 'STG' && l.msg === 'Exit status 0');
  const healthy = lastAt((l) => l.source === 'CELL' && l.msg === 'Container became healthy');
  // The app's own boot, from the engine: container start → the app's first line of output.
  const stats = await call('GET', `/v3/apps/${app.guid}/processes/web/stats`);
  const instance = stats.resources.find((r) => r.state === 'RUNNING')?.instance_guid;
  const id = docker(['ps', '-q', '--filter', `label=wharf.instance_guid=${instance}`], {
    encoding: 'utf8',
  }).trim();
  const startedAt = Date.parse(
    docker(['inspect', '-f', '{{.State.StartedAt}}', id], { encoding: 'utf8' }).trim(),
  );
  const firstLine = docker(['logs', '-t', id], { encoding: 'utf8' }).split('\n')[0] ?? '';
  const firstAppLine = Date.parse(firstLine.split(' ')[0] ?? '');
  return {
    total: t.running - t.begin,
    upload: t.uploaded - t.begin,
    staging: (exit0 ?? t.staged) - t.uploaded,
    image: exit0 ? t.staged - exit0 : NaN,
    start: t.running - t.startAsked,
    healthyBeyondBoot: healthy && firstAppLine ? healthy - firstAppLine : NaN,
    appBoot: firstAppLine && startedAt ? firstAppLine - startedAt : NaN,
    appGuid: app.guid,
  };
}

/** The same work with docker alone: npm ci in the build image, commit, run, first HTTP 200. */
function plainDocker(dir) {
  const sh = (args) => docker(args, { encoding: 'utf8' }).trim();
  const begin = Date.now();
  // As root: docker cp leaves the copied files root's.
  const id = sh([
    'create',
    '--network',
    env.WHARF_STAGING_NETWORK,
    '-e',
    'HOME=/tmp',
    '-w',
    '/tmp/app',
    'wharf/stack-build:bookworm',
    'bash',
    '-c',
    'npm ci --no-audit --no-fund >/dev/null',
  ]);
  docker(['cp', `${dir}/.`, `${id}:/tmp/app`]);
  docker(['start', '-a', id], { stdio: 'ignore' });
  const built = Date.now();
  const img = sh(['commit', id, 'wharf-bench/plain:latest']);
  sh(['rm', id]);
  const imaged = Date.now();
  const run = sh([
    'run',
    '-d',
    '-u',
    '2000:2000',
    '-w',
    '/tmp/app',
    '--network',
    env.WHARF_APPS_NETWORK,
    '-e',
    'PORT=8080',
    img,
    'node',
    'server.js',
  ]);
  // Reached on its address on the apps network, as Wharf's router reaches instances.
  const address = sh([
    'inspect',
    '-f',
    `{{(index .NetworkSettings.Networks "${env.WHARF_APPS_NETWORK}").IPAddress}}`,
    run,
  ]);
  for (;;) {
    try {
      execFileSync('curl', [
        '-sf',
        '-o',
        '/dev/null',
        '--max-time',
        '1',
        `http://${address}:8080/`,
      ]);
      break;
    } catch {
      /* not yet */
    }
  }
  const up = Date.now();
  sh(['rm', '-f', run]);
  return { total: up - begin, staging: built - begin, image: imaged - built, start: up - imaged };
}

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
const fmt = (ms) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)}s` : '  n/a');

const space = (await call('GET', '/v3/spaces?names=dev')).resources[0];
const results = { cold: [], warm: [], docker: [] };
for (let i = 0; i < runs; i++) {
  const name = `bench-express-${Date.now()}`;
  const dir = join(work, name);
  cpSync(FIXTURE, dir, { recursive: true });
  const cold = await push(name, dir, space.guid);
  results.cold.push(cold);
  writeFileSync(join(dir, 'greeting.js'), `exports.greeting = 'hello ${i}';\n`);
  results.warm.push(await push(name, dir, space.guid));
  await call('DELETE', `/v3/apps/${cold.appGuid}`);
  results.docker.push(plainDocker(dir));
  console.log(
    `run ${i + 1}/${runs}: cold ${fmt(cold.total)}, warm ${fmt(results.warm.at(-1).total)}, plain docker ${fmt(results.docker.at(-1).total)}`,
  );
}
rmSync(work, { recursive: true, force: true });
docker(['rmi', '-f', 'wharf-bench/plain:latest'], { stdio: 'ignore' });

console.log(`\nmedians over ${runs} runs (2-core machine; Express 4, 72 npm packages)`);
console.log(
  '                 total   upload  staging    image    start  healthy-beyond-boot  app-boot',
);
for (const kind of ['cold', 'warm']) {
  const r = results[kind];
  const m = (k) => fmt(median(r.map((x) => x[k])));
  console.log(
    `wharf ${kind.padEnd(6)}  ${m('total').padStart(8)} ${m('upload').padStart(8)} ${m('staging').padStart(8)} ${m('image').padStart(8)} ${m('start').padStart(8)} ${m('healthyBeyondBoot').padStart(20)} ${m('appBoot').padStart(9)}`,
  );
}
const d = results.docker;
const md = (k) => fmt(median(d.map((x) => x[k])));
console.log(
  `plain docker  ${md('total').padStart(8)} ${'-'.padStart(8)} ${md('staging').padStart(8)} ${md('image').padStart(8)} ${md('start').padStart(8)}`,
);
console.log("targets: warm ≤ 5 s, cold ≤ 30 s, healthy ≤ 1 s beyond the app's boot");
