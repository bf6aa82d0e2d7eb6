#!/usr/bin/env node
// bench/deploy: what users see of a deploy while their app is under continuous requests. A
// 3-instance app (test/fixtures/node-app, which answers with its version) gets, one after the
// other: a rolling push of a new version; a rolling restart; a default push (cf's stop, then start) of the next one,
// whose failed requests are the peer figure; a rollback to the previous revision; and a canary
// push whose new instance crashes. For each: how long the command took, requests answered and
// failed, and which versions answered. A bounded client (16 connections, each sending its next
// request when the last is answered) asks the router on 127.0.0.1 only.
//
//   npm run up && node bench/deploy.mjs [--instances 3] [--connections 16]
//
// Targets (issue 16): a rolling push and a rollback fail 0 requests, each answered by the old or
// the new version; a rollback takes no longer than one rolling deploy; a crashing canary ends
// CANCELED with its reason while the old version never stops serving. It prints figures; it
// asserts nothing.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiClient, numberArg, platformEnv, ROOT } from './platform.mjs';

const INSTANCES = numberArg('instances', 3);
const CONNECTIONS = numberArg('connections', 16);
const APP = 'bench-deploy';
const env = platformEnv();
const ROUTER_PORT = Number(env.WHARF_ROUTER_PORT);
const HOST = `${APP}.${env.WHARF_SHARED_DOMAIN}`;
const work = mkdtempSync(join(tmpdir(), 'wharf-bench-deploy-'));
const call = apiClient();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * `wharf …`: its exit code, output and how long it took. Run without blocking: the client's
 * requests go on meanwhile (a synchronous spawn would stall them all).
 */
function wharf(...args) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(join(ROOT, 'bin/wharf'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out, seconds: (Date.now() - started) / 1000 }));
  });
}

/** A copy of the fixture that answers `{"version": n}`. */
function version(n) {
  const dir = join(work, `v${n}`);
  cpSync(join(ROOT, 'test/fixtures/node-app'), dir, { recursive: true });
  writeFileSync(join(dir, 'version.json'), `{ "version": ${n} }\n`);
  return dir;
}

/** The bounded client: CONNECTIONS loops, each one request at a time, until stopped. */
function load() {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const seen = { ok: 0, failed: 0, versions: new Map(), errors: new Map(), at: [] };
  const started = Date.now();
  let running = true;
  const one = () =>
    new Promise((resolve) => {
      const sent = Date.now();
      const fail = (why) => {
        seen.failed += 1;
        seen.errors.set(why, (seen.errors.get(why) ?? 0) + 1);
        seen.at.push((sent - started) / 1000);
      };
      const req = request(
        {
          host: '127.0.0.1',
          port: ROUTER_PORT,
          path: '/',
          headers: { host: HOST },
          agent,
          timeout: 5000,
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (body += c));
          res.on('end', () => {
            if (res.statusCode === 200) {
              seen.ok += 1;
              const v = JSON.parse(body).version;
              seen.versions.set(v, (seen.versions.get(v) ?? 0) + 1);
            } else fail(`HTTP ${res.statusCode}`);
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (err) => {
        fail(err.message);
        resolve();
      });
      req.end();
    });
  const loops = Array.from({ length: CONNECTIONS }, async () => {
    while (running) await one();
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return seen;
    },
  };
}

const results = [];

/** Runs `fn` under load (with a second of it before and after) and records the phase. */
async function phase(name, fn) {
  const client = load();
  await sleep(1000);
  const r = await fn();
  await sleep(1000);
  const seen = await client.stop();
  const versions = [...seen.versions].sort(([a], [b]) => a - b).map(([v, n]) => `v${v}: ${n}`);
  const span = seen.at.length
    ? ` (sent ${Math.min(...seen.at).toFixed(1)}–${Math.max(...seen.at).toFixed(1)} s into the phase)`
    : '';
  const errors = [...seen.errors].map(([e, n]) => `${e} ×${n}`).join(', ') + span;
  results.push({ name, seconds: r.seconds, ok: seen.ok, failed: seen.failed, versions, errors });
  if (r.code !== 0 && !r.expectFailure) process.stdout.write(`${name}: wharf failed:\n${r.out}\n`);
  return { ...r, seen };
}

async function appGuid() {
  const apps = await call('GET', `/v3/apps?names=${APP}`);
  return apps.resources[0]?.guid;
}

async function main() {
  const existing = await appGuid();
  if (existing) await wharf('delete', APP, '-f');
  process.stdout.write(`pushing ${APP} (v1, ${INSTANCES} instances)...\n`);
  const first = await wharf('push', APP, '-p', version(1), '-i', String(INSTANCES), '-m', '128M');
  if (first.code !== 0) throw new Error(`first push failed:\n${first.out}`);
  await sleep(2000);

  const rolling = await phase('rolling push (v2)', async () =>
    wharf('push', APP, '-p', version(2), '--strategy', 'rolling'),
  );
  const restart = await phase('rolling restart (v2)', async () =>
    wharf('restart', APP, '--strategy', 'rolling'),
  );
  const stopStart = await phase('default push (v3, stop then start)', async () =>
    wharf('push', APP, '-p', version(3)),
  );
  const guid = await appGuid();
  const revisions = (
    await call('GET', `/v3/apps/${guid}/revisions?order_by=-created_at&per_page=2`)
  ).resources;
  const previous = revisions[1]?.version;
  const rollback = await phase(`rollback to revision ${previous} (v2)`, async () =>
    wharf('rollback', APP, '--version', String(previous), '-f'),
  );
  const canary = await phase('canary push (v4) whose instance crashes', async () => ({
    ...(await wharf('push', APP, '-p', version(4), '--strategy', 'canary', '-c', "sh -c 'exit 3'")),
    expectFailure: true,
  }));
  const [last] = (
    await call('GET', `/v3/deployments?app_guids=${guid}&order_by=-created_at&per_page=1`)
  ).resources;

  process.stdout.write('\n');
  const rows = [['phase', 'command', 'requests', 'failed', 'answered by', 'errors']];
  for (const r of results)
    rows.push([
      r.name,
      `${r.seconds.toFixed(1)} s`,
      String(r.ok + r.failed),
      String(r.failed),
      r.versions.join(', '),
      r.errors || '-',
    ]);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  for (const row of rows)
    process.stdout.write(`${row.map((c, i) => c.padEnd(widths[i])).join('   ')}\n`);
  process.stdout.write('\n');
  process.stdout.write(
    `rolling push: ${rolling.seen.failed} failed requests   |   default push (peer, cf's stop-start): ${stopStart.seen.failed} failed\n`,
  );
  process.stdout.write(
    `rollback ${rollback.seconds.toFixed(1)} s vs one rolling deploy (restart --strategy rolling) ${restart.seconds.toFixed(1)} s: ratio ${(rollback.seconds / restart.seconds).toFixed(2)} (target ≤ 1), ${rollback.seen.failed} failed\n`,
  );
  process.stdout.write(
    `canary: wharf exit ${canary.code}; deployment ${last?.status.value}/${last?.status.reason}: ${last?.status.details.error ?? '(no reason)'}; versions answering: ${[...canary.seen.versions.keys()].join(', ')}\n`,
  );
  await wharf('delete', APP, '-f');
}

main()
  .catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
