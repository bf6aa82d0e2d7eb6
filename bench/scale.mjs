#!/usr/bin/env node
// bench/scale: how fast one machine goes from 1 to 50 and from 50 to 200 instances of a 64 MB app
// (all RUNNING, and the router reaching every one of them), next to the floor of the same run:
// the same number of plain containers of the same droplet image, with the same command,
// environment, user and limits, started on Wharf's engine by the Docker API directly. Then, with
// 200 instances running: the API's latency for an app and its stats, and the worker's CPU and
// memory at rest; then 200 → 1; then the router with 1,000 routes: how long a new route and a
// removed one take to be served.
//
//   npm run up && node bench/scale.mjs [--to 200] [--first 50] [--rounds 3]
//                                      [--floor-concurrency 4] [--routes 1000] [--timeout 600]
//
// 1 → 50 takes about 15 s, where one busy moment of the machine moves a ratio by 0.2: it runs
// --rounds times (floor, Wharf, back to 1), each round printed, and the median ratio is the figure.
//
// Targets (issue 15): 1 → 50 ≤ 1.5 × its floor, 50 → 200 ≤ 1.5 × its floor; at 200 instances
// worker CPU ≤ 10 % of one core, API p99 ≤ 100 ms and no pool-wait timeout in the worker's log;
// a route change served within 1 s with 1,000 routes. It prints figures; it asserts nothing. A
// phase that does not converge within --timeout seconds prints how far it got and the bench goes on.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { apiClient, cliToken, numberArg, platformEnv, ROOT, STATE_DIR } from './platform.mjs';

const TO = numberArg('to', 200);
const FIRST = numberArg('first', 50);
const ROUNDS = numberArg('rounds', 3);
const FLOOR_CONCURRENCY = numberArg('floor-concurrency', 4);
const ROUTES = numberArg('routes', 1000);
const TIMEOUT_MS = numberArg('timeout', 600) * 1000;
const APP = 'bench-scale';
const env = platformEnv();
const API = env.WHARF_API_URL;
const ROUTER_PORT = Number(env.WHARF_ROUTER_PORT);
const DOMAIN = env.WHARF_SHARED_DOMAIN;
const docker = new Docker({ socketPath: env.WHARF_DOCKER_HOST.replace(/^unix:\/\//, '') });
const wharf = (...args) =>
  execFileSync(join(ROOT, 'bin/wharf'), args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
const token = cliToken();
const work = mkdtempSync(join(tmpdir(), 'wharf-bench-scale-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secs = (ms) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : 'n/a');

const call = apiClient(API, token);

/** One GET; resolves with the status and the answering instance (null when none answered). */
function get(host, port, headers = {}, path = '/') {
  return new Promise((resolve) => {
    const req = request({ host, port, path, headers, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode, index: res.headers['x-instance-index'] ?? null }),
      );
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, index: null }));
    req.end();
  });
}
const routed = (host = `${APP}.${DOMAIN}`) => get('127.0.0.1', ROUTER_PORT, { host });

async function mapLimit(items, limit, fn) {
  const out = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : NaN;
};

/**
 * Scales the web process to `n` and waits until `n` instances are RUNNING and, when scaling up,
 * the router has answered from every index below `n`. Times are from the scale request.
 */
async function scaleTo(appGuid, n) {
  const web = `/v3/apps/${appGuid}/processes/web`;
  const begin = Date.now();
  await call('POST', `${web}/actions/scale`, { instances: n });
  const end = begin + TIMEOUT_MS;
  let running = 0;
  let total = 0;
  let allRunning = NaN;
  while (Date.now() < end) {
    const stats = (await call('GET', `${web}/stats`)).resources;
    running = stats.filter((s) => s.state === 'RUNNING').length;
    total = stats.length;
    if (running === n && total === n) {
      allRunning = Date.now() - begin;
      break;
    }
    await sleep(250);
  }
  const result = { n, running, total, allRunning, allRouted: NaN, seen: 0 };
  if (!Number.isFinite(allRunning)) return result;
  // Every index answers through the router: HAProxy balances round-robin, so a few rounds of n
  // requests see them all once each is in its configuration.
  const seen = new Set();
  while (Date.now() < end && seen.size < n) {
    const answers = await mapLimit(Array.from({ length: n }), 16, () => routed());
    for (const a of answers) if (a.status === 200 && a.index !== null) seen.add(a.index);
  }
  result.seen = seen.size;
  if (seen.size >= n) result.allRouted = Date.now() - begin;
  return result;
}

/** The container of one running instance: what the floor copies (image, command, limits). */
async function instanceTemplate(appGuid) {
  const [info] = await docker.listContainers({
    filters: {
      label: [`wharf.app_guid=${appGuid}`, `wharf.installation=${env.WHARF_INSTALLATION}`],
    },
  });
  const c = await docker.getContainer(info.Id).inspect();
  const h = c.HostConfig;
  return {
    Image: c.Config.Image,
    Entrypoint: c.Config.Entrypoint,
    Cmd: c.Config.Cmd,
    Env: c.Config.Env,
    User: c.Config.User,
    WorkingDir: c.Config.WorkingDir,
    Labels: { 'wharf-bench': 'scale-floor' },
    HostConfig: {
      NetworkMode: h.NetworkMode,
      Memory: h.Memory,
      MemorySwap: h.MemorySwap,
      CpuShares: h.CpuShares,
      PidsLimit: h.PidsLimit,
      Ulimits: h.Ulimits,
      CapDrop: h.CapDrop,
      SecurityOpt: h.SecurityOpt,
      Init: h.Init,
      Runtime: h.Runtime,
    },
  };
}

/** `n` plain containers of the template, `FLOOR_CONCURRENCY` at a time, each until it answers;
 * one that fails is counted and the first failure printed, so the rest of the run still reports. */
async function floor(template, n) {
  const begin = Date.now();
  const network = template.HostConfig.NetworkMode;
  const ids = [];
  const errors = [];
  await mapLimit(Array.from({ length: n }), FLOOR_CONCURRENCY, async (_, i) => {
    try {
      await floorContainer(template, network, i, ids);
    } catch (err) {
      errors.push(err);
    }
  });
  const took = Date.now() - begin;
  if (errors.length > 0) {
    console.log(
      `floor: ${errors.length} of ${n} plain containers did not start; the first: ${errors[0].message}`,
    );
  }
  return { took, ids, failed: errors.length };
}

/** One plain container of the template, as instance `i`, until it answers on its port. */
async function floorContainer(template, network, i, ids) {
  const container = await docker.createContainer({
    ...template,
    Env: [
      ...template.Env.filter((e) => !e.startsWith('CF_INSTANCE_INDEX=')),
      `CF_INSTANCE_INDEX=${i}`,
    ],
  });
  ids.push(container.id);
  await container.start();
  const address = (await container.inspect()).NetworkSettings.Networks[network].IPAddress;
  for (const end = Date.now() + TIMEOUT_MS; Date.now() < end; await sleep(50)) {
    if ((await get(address, 8080)).status === 200) return;
  }
  throw new Error(`instance ${i} (${container.id.slice(0, 12)}) did not answer on ${address}:8080`);
}

async function removeFloor(ids) {
  const begin = Date.now();
  await mapLimit(ids, FLOOR_CONCURRENCY, (id) =>
    docker
      .getContainer(id)
      .remove({ force: true })
      .catch(() => undefined),
  );
  return Date.now() - begin;
}

/** The worker's CPU (share of one core) and RSS over `ms`, from /proc. */
async function workerUsage(ms) {
  // run/worker.pid is the supervisor's (scripts/lib/platform.sh); the worker is its node child.
  const pidFile = join(STATE_DIR, 'run/worker.pid');
  const descendants = (pid) => {
    const path = `/proc/${pid}/task/${pid}/children`;
    const kids = existsSync(path)
      ? readFileSync(path, 'utf8').trim().split(/\s+/).filter(Boolean)
      : [];
    return kids.flatMap((k) => [k, ...descendants(k)]);
  };
  const supervisor = existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim() : '';
  const pid = supervisor
    ? descendants(supervisor).find((p) =>
        readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('apps/worker/src/main.js'),
      )
    : undefined;
  if (!pid) return null;
  const ticks = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime, after the comm field
  };
  const hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  const t0 = ticks();
  await sleep(ms);
  const cpu = (ticks() - t0) / hz / (ms / 1000);
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return { cpu, rssMb: rssKb / 1024 };
}

/** Lines the worker logged since `offset` that say a pool connection could not be had in time. */
function poolTimeouts(offset) {
  const log = join(env.WHARF_LOG_DIR ?? join(STATE_DIR, 'logs'), 'worker.log');
  if (!existsSync(log)) return { count: NaN, offset: 0 };
  const text = readFileSync(log).subarray(offset).toString('utf8');
  return {
    count: (text.match(/timeout exceeded when trying to connect/g) ?? []).length,
    offset: statSync(log).size,
  };
}

/** p50 and p99 of `count` GETs of `path`, `concurrency` of them in flight at a time. */
async function latency(path, count, concurrency) {
  const times = [];
  await mapLimit(Array.from({ length: count }), concurrency, async () => {
    const t = performance.now();
    await call('GET', path);
    times.push(performance.now() - t);
  });
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** ms from a route change until the router serves it: `want(status)` true for its answer. */
async function served(host, want) {
  const begin = Date.now();
  for (const end = begin + 30_000; Date.now() < end; await sleep(20)) {
    if (want((await routed(host)).status)) return Date.now() - begin;
  }
  return NaN;
}

/** Scales the app down to one instance; ms until its other containers are gone (NaN if never). */
async function scaleDownToOne(appGuid) {
  const begin = Date.now();
  await call('POST', `/v3/apps/${appGuid}/processes/web/actions/scale`, { instances: 1 });
  for (const end = begin + TIMEOUT_MS; Date.now() < end; await sleep(250)) {
    const containers = await docker.listContainers({
      all: true,
      filters: { label: [`wharf.app_guid=${appGuid}`] },
    });
    if (containers.length === 1) return Date.now() - begin;
  }
  return NaN;
}

/** Prints one scale-up next to its floor; returns the ratio (NaN when it did not converge). */
function printScale(label, r, floorCount, floorMs) {
  const converged = Number.isFinite(r.allRouted);
  console.log(
    converged
      ? `${label}: all RUNNING in ${secs(r.allRunning)}, all routed in ${secs(r.allRouted)}; floor (${floorCount} plain containers, ${FLOOR_CONCURRENCY} at a time) ${secs(floorMs)}; ratio ${(r.allRouted / floorMs).toFixed(2)} (target ≤ 1.5)`
      : `${label}: did not converge within ${secs(TIMEOUT_MS)}: ${r.running}/${r.n} RUNNING (${r.total} instances), ${r.seen} reached through the router; floor ${secs(floorMs)}`,
  );
  return converged ? r.allRouted / floorMs : NaN;
}

async function main() {
  const space = (await call('GET', '/v3/spaces?names=dev')).resources[0];
  const leftover = (await call('GET', `/v3/apps?names=${APP}&space_guids=${space.guid}`))
    .resources[0];
  if (leftover) wharf('delete', APP, '-f', '-r');
  const oldFloor = await docker.listContainers({
    all: true,
    filters: { label: ['wharf-bench=scale-floor'] },
  });
  await removeFloor(oldFloor.map((c) => c.Id));

  console.log(`pushing ${APP} (1 instance, 64M) ...`);
  const dir = join(work, 'app');
  cpSync(join(ROOT, 'bench/fixtures/router-backend'), dir, { recursive: true });
  wharf('push', APP, '-p', dir, '-i', '1', '-m', '64M');
  const app = (await call('GET', `/v3/apps?names=${APP}&space_guids=${space.guid}`)).resources[0];
  const template = await instanceTemplate(app.guid);
  let logOffset = poolTimeouts(0).offset;

  // 1 → FIRST, ROUNDS times: the floor first (the app's one instance running beside it), then
  // Wharf, then back to one instance.
  const ratios = [];
  for (let round = 1; round <= ROUNDS; round++) {
    if (round > 1) await scaleDownToOne(app.guid);
    const floor1 = await floor(template, FIRST - 1);
    await removeFloor(floor1.ids);
    const up1 = await scaleTo(app.guid, FIRST);
    ratios.push(printScale(`1 → ${FIRST}, round ${round}`, up1, FIRST - 1, floor1.took));
  }
  const converged = ratios.filter(Number.isFinite);
  console.log(
    converged.length === ratios.length
      ? `1 → ${FIRST}: median ratio of ${ROUNDS} rounds ${percentile(converged, 50).toFixed(2)} (target ≤ 1.5)`
      : `1 → ${FIRST}: ${ratios.length - converged.length} of ${ROUNDS} rounds did not converge`,
  );

  // FIRST → TO, with FIRST instances running in both.
  const floor2 = await floor(template, TO - FIRST);
  const floorDown = await removeFloor(floor2.ids);
  const up2 = await scaleTo(app.guid, TO);
  printScale(`${FIRST} → ${TO}`, up2, TO - FIRST, floor2.took);
  let pool = poolTimeouts(logOffset);
  console.log(`pool-wait timeouts in the worker's log while scaling up: ${pool.count} (target 0)`);
  logOffset = pool.offset;

  // Steady state at TO instances.
  await sleep(10_000);
  const usage = await workerUsage(30_000);
  console.log(
    usage
      ? `worker at rest with ${up2.running} instances, over 30 s: CPU ${(usage.cpu * 100).toFixed(1)} % of one core (target ≤ 10 %), RSS ${usage.rssMb.toFixed(0)} MB`
      : 'worker at rest: no worker process found (run/worker.pid)',
  );
  // One client at a time (what a user's CLI or a dashboard does), then 4 at once: with two cores
  // the second also measures the queue behind the API's one thread.
  for (const concurrency of [1, 4]) {
    const appLatency = await latency(`/v3/apps/${app.guid}`, 200, concurrency);
    const statsLatency = await latency(
      `/v3/apps/${app.guid}/processes/web/stats`,
      100,
      concurrency,
    );
    console.log(
      `API with ${up2.running} instances, ${concurrency === 1 ? 'one request at a time' : `${concurrency} requests at once`}: GET /v3/apps/:guid p50 ${appLatency.p50.toFixed(1)} ms p99 ${appLatency.p99.toFixed(1)} ms; GET …/processes/web/stats p50 ${statsLatency.p50.toFixed(1)} ms p99 ${statsLatency.p99.toFixed(1)} ms (target p99 ≤ 100 ms)`,
    );
  }
  pool = poolTimeouts(logOffset);
  console.log(`pool-wait timeouts at rest: ${pool.count} (target 0)`);
  logOffset = pool.offset;

  // TO → 1.
  const down = await scaleDownToOne(app.guid);
  console.log(
    Number.isFinite(down)
      ? `${TO} → 1: ${secs(down)} until one container is left; floor (removing ${TO - FIRST} plain containers, ${FLOOR_CONCURRENCY} at a time) ${secs(floorDown)}`
      : `${TO} → 1: more than one container still there after ${secs(TIMEOUT_MS)}`,
  );

  // The router with ROUTES routes: add one and remove one, timed until served.
  const domain = (await call('GET', `/v3/domains?names=${DOMAIN}`)).resources[0];
  const newRoute = async (host) => {
    const route = await call('POST', '/v3/routes', {
      host,
      relationships: {
        space: { data: { guid: space.guid } },
        domain: { data: { guid: domain.guid } },
      },
    });
    await call('POST', `/v3/routes/${route.guid}/destinations`, {
      destinations: [{ app: { guid: app.guid } }],
    });
    return route.guid;
  };
  console.log(`creating ${ROUTES - 1} more routes ...`);
  const created = await mapLimit(
    Array.from({ length: ROUTES - 1 }, (_, i) => `${APP}-r${i}`),
    8,
    newRoute,
  );
  const last = `${APP}-r${ROUTES - 2}.${DOMAIN}`;
  await served(last, (s) => s === 200);
  const routes = (await call('GET', '/v3/routes?per_page=1')).pagination.total_results;
  const adds = [];
  const removes = [];
  for (let i = 0; i < 5; i++) {
    const host = `${APP}-new${i}`;
    const t = Date.now();
    const guid = await newRoute(host);
    const addedAfter = Date.now() - t;
    adds.push(addedAfter + (await served(`${host}.${DOMAIN}`, (s) => s === 200)));
    const t2 = Date.now();
    await call('DELETE', `/v3/routes/${guid}`);
    const removedAfter = Date.now() - t2;
    removes.push(removedAfter + (await served(`${host}.${DOMAIN}`, (s) => s === 404)));
  }
  console.log(
    `router with ${routes} routes: a new route served after ${adds.map((ms) => `${ms} ms`).join(', ')} (median ${percentile(adds, 50)} ms); a deleted one answers 404 after ${removes.map((ms) => `${ms} ms`).join(', ')} (median ${percentile(removes, 50)} ms) (target ≤ 1000 ms, from the API call)`,
  );

  if (!process.argv.includes('--keep')) {
    await mapLimit(created, 8, (guid) =>
      call('DELETE', `/v3/routes/${guid}`).catch(() => undefined),
    );
    wharf('delete', APP, '-f', '-r');
  }
  rmSync(work, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
