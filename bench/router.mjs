#!/usr/bin/env node
// bench/router: HTTP throughput and latency through Wharf's data plane (HAProxy, configured by
// the routing sync with a few hundred routes) next to a plain nginx reverse proxy (what Dokku and
// CapRover put in front of apps) and the backend itself, in one run, on the same machine, against
// the same two app instances, with wrk (Debian package).
//
//   npm run up && node bench/router.mjs [--routes 300] [--duration 10] [--rounds 3] [--connections 50]
//
// The backend is bench/fixtures/router-backend (1 KiB per response) pushed with two instances.
// `direct` is wrk against one instance; `nginx` and `wharf` balance over both, on the addresses
// Wharf's router uses, both keeping connections to the instances alive. Both proxies log requests:
// nginx every one to its access log file, Wharf up to 200 a second per route to the app's [RTR]
// log (the rest are served unlogged).
// Targets measured (issue 4): wharf ≥ 0.9 × nginx requests/s, ≤ 1 ms added median latency, and
// an instance that becomes healthy receives traffic within 1 s: the app is scaled 2 → 3 (and
// back) --scales times while requests go through the router without pause; each time, the delay
// from the new instance's RUNNING (its `since` in the stats) to the first response it gives.
// It prints figures; it asserts nothing. wrk and nginx are installed with apt-get when missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiClient, cliToken, numberArg, platformEnv, ROOT } from './platform.mjs';

const ROUTES = numberArg('routes', 300);
const DURATION = numberArg('duration', 10);
const ROUNDS = numberArg('rounds', 3);
const CONNECTIONS = numberArg('connections', 50);
const SCALES = numberArg('scales', 5);
const NGINX_PORT = 18090;
const APP = 'bench-router';
const env = platformEnv();
const API = env.WHARF_API_URL;
const ROUTER_PORT = Number(env.WHARF_ROUTER_PORT);
const DOMAIN = env.WHARF_SHARED_DOMAIN;
const wharf = (...args) =>
  execFileSync(join(ROOT, 'bin/wharf'), args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
const token = cliToken();
const work = mkdtempSync(join(tmpdir(), 'wharf-bench-router-'));

const call = apiClient(API, token);

function ensureTools() {
  const missing = [
    ['wrk', 'wrk'],
    ['nginx', 'nginx-light'],
  ].filter(([bin]) => spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0);
  if (missing.length === 0) return;
  const pkgs = missing.map(([, p]) => p);
  console.log(`installing ${pkgs.join(', ')} (apt-get)`);
  // Keep the package's own nginx service from starting on port 80 (Debian's policy-rc.d).
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  } finally {
    if (ownPolicy) rmSync(policy);
  }
}

/** wrk's figures: requests/s and the latency percentiles, in ms. */
function runWrk(url, host) {
  const args = ['-t2', `-c${CONNECTIONS}`, `-d${DURATION}s`, '--latency'];
  if (host) args.push('-H', `Host: ${host}`);
  const out = execFileSync('wrk', [...args, url], { encoding: 'utf8' });
  const ms = (v, unit) => Number(v) * { us: 0.001, ms: 1, s: 1000 }[unit];
  const pct = (p) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(out);
    return m ? ms(m[1], m[2]) : NaN;
  };
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? '0';
  const socketErrors = /Socket errors: (.*)/.exec(out)?.[1] ?? '';
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
    p50: pct(50),
    p99: pct(99),
    errors: Number(errors) + (socketErrors ? 1 : 0),
    socketErrors,
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One request through the router; resolves with the index of the instance that answered. */
function routedIndex() {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port: ROUTER_PORT, path: '/', headers: { host: `${APP}.${DOMAIN}` } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.headers['x-instance-index'] ?? null));
      },
    );
    req.on('error', () => resolve(null));
    req.end();
  });
}

/** Scales 2 → 3; ms from instance #2 RUNNING to its first routed response; scales back to 2. */
async function healthyToTraffic(appGuid) {
  const web = `/v3/apps/${appGuid}/processes/web`;
  await call('POST', `${web}/actions/scale`, { instances: 3 });
  let seen = 0;
  for (const end = Date.now() + 60_000; !seen && Date.now() < end;) {
    if ((await routedIndex()) === '2') seen = Date.now();
  }
  const stats = (await call('GET', `${web}/stats`)).resources;
  const since = Date.parse(stats.find((s) => s.index === 2)?.since ?? '');
  await call('POST', `${web}/actions/scale`, { instances: 2 });
  // Wait until #2 is gone, so the next round starts from two instances again.
  for (let i = 0; i < 100; i++) {
    const now = (await call('GET', `${web}/stats`)).resources;
    if (now.length === 2) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await new Promise((r) => setTimeout(r, 1500));
  return seen && since ? seen - since : NaN;
}

async function main() {
  ensureTools();
  console.log(`pushing ${APP} (2 instances) ...`);
  const dir = join(work, 'app');
  cpSync(join(ROOT, 'bench/fixtures/router-backend'), dir, { recursive: true });
  wharf('push', APP, '-p', dir, '-i', '2', '-m', '256M');
  const app = (await call('GET', `/v3/apps?names=${APP}`)).resources[0];
  const stats = (await call('GET', `/v3/apps/${app.guid}/processes/web/stats`)).resources;
  // The addresses Wharf's router uses for instances on this machine (their apps-network address).
  const backends = stats.map((s) => `${s.instance_internal_ip}:${s.instance_ports[0].internal}`);
  const space = app.relationships.space.data.guid;
  const domain = (await call('GET', `/v3/domains?names=${DOMAIN}`)).resources[0];

  // The other routes: plain hosts, and a few hosts with path routes (which the router checks in
  // order before its host map), all mapped to the same app so each is a live backend.
  const paths = Math.min(20, Math.floor(ROUTES / 10));
  const specs = [];
  for (let i = 0; specs.length < ROUTES - 1 - paths; i++) specs.push({ host: `${APP}-r${i}` });
  for (let i = 0; i < paths; i++) specs.push({ host: `${APP}-p${i % 10}`, path: `/p${i}` });
  // Routes a run stopped half-way left behind.
  const leftovers = (
    await call('GET', `/v3/routes?space_guids=${space}&per_page=5000`)
  ).resources.filter((r) => r.host.startsWith(`${APP}-`));
  for (const r of leftovers) await call('DELETE', `/v3/routes/${r.guid}`);
  console.log(`creating ${specs.length} more routes ...`);
  const created = [];
  for (let i = 0; i < specs.length; i += 20) {
    await Promise.all(
      specs.slice(i, i + 20).map(async (spec) => {
        const route = await call('POST', '/v3/routes', {
          ...spec,
          relationships: {
            space: { data: { guid: space } },
            domain: { data: { guid: domain.guid } },
          },
        });
        created.push(route.guid);
        await call('POST', `/v3/routes/${route.guid}/destinations`, {
          destinations: [{ app: { guid: app.guid } }],
        });
      }),
    );
  }
  const cfg = join(env.WHARF_HAPROXY_DIR, 'haproxy.cfg');
  const backendsInConfig = () =>
    (readFileSync(cfg, 'utf8').match(/^backend be_[0-9a-f]/gm) ?? []).length;
  for (let i = 0; backendsInConfig() < ROUTES && i < 100; i++)
    await new Promise((r) => setTimeout(r, 200));
  console.log(
    `router configured with ${backendsInConfig()} routes (${readFileSync(cfg, 'utf8').match(/^  server /gm).length} servers)`,
  );

  writeFileSync(
    join(work, 'nginx.conf'),
    `worker_processes auto;
pid ${work}/nginx.pid;
error_log ${work}/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log ${work}/nginx-access.log;
  upstream app { ${backends.map((b) => `server ${b};`).join(' ')} keepalive 64; }
  server {
    listen 127.0.0.1:${NGINX_PORT};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Request-Id $request_id;
    }
  }
}
`,
  );
  execFileSync('nginx', ['-p', work, '-c', join(work, 'nginx.conf')]);
  const targets = {
    direct: () => runWrk(`http://${backends[0]}/`),
    nginx: () => runWrk(`http://127.0.0.1:${NGINX_PORT}/`, `${APP}.${DOMAIN}`),
    wharf: () => runWrk(`http://127.0.0.1:${ROUTER_PORT}/`, `${APP}.${DOMAIN}`),
  };
  const results = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
  try {
    for (const t of Object.keys(targets)) targets[t](); // warm-up, not counted
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [name, fn] of Object.entries(targets)) {
        const r = fn();
        results[name].push(r);
        console.log(
          `round ${round} ${name.padEnd(6)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms${r.errors ? `  errors: ${r.errors} ${r.socketErrors}` : ''}`,
        );
      }
    }
  } finally {
    spawnSync('nginx', ['-p', work, '-c', join(work, 'nginx.conf'), '-s', 'quit']);
  }
  const m = Object.fromEntries(
    Object.entries(results).map(([k, rs]) => [
      k,
      {
        rps: median(rs.map((r) => r.rps)),
        p50: median(rs.map((r) => r.p50)),
        p99: median(rs.map((r) => r.p99)),
      },
    ]),
  );
  console.log(
    `\nmedians of ${ROUNDS} rounds, wrk -t2 -c${CONNECTIONS} -d${DURATION}s, 1 KiB responses, ${ROUTES} routes in Wharf's router`,
  );
  console.log('            req/s      p50       p99   added p50');
  for (const [k, v] of Object.entries(m)) {
    const added = k === 'direct' ? '' : `${(v.p50 - m.direct.p50).toFixed(2)} ms`;
    console.log(
      `${k.padEnd(8)} ${v.rps.toFixed(0).padStart(8)} ${v.p50.toFixed(2).padStart(6)} ms ${v.p99.toFixed(2).padStart(6)} ms ${added.padStart(10)}`,
    );
  }
  console.log(`wharf / nginx throughput: ${(m.wharf.rps / m.nginx.rps).toFixed(2)} (target ≥ 0.9)`);
  console.log(
    `wharf added median latency: ${(m.wharf.p50 - m.direct.p50).toFixed(2)} ms (target ≤ 1 ms)`,
  );

  const delays = [];
  for (let i = 0; i < SCALES; i++) delays.push(await healthyToTraffic(app.guid));
  console.log(
    `healthy → first routed request, ${SCALES} scale-ups: ${delays.map((d) => `${d} ms`).join(', ')}; median ${median(delays)} ms (target ≤ 1000 ms)`,
  );

  if (!process.argv.includes('--keep')) {
    for (const guid of created) await call('DELETE', `/v3/routes/${guid}`).catch(() => undefined);
    wharf('delete', APP, '-f', '-r');
  }
  rmSync(work, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
