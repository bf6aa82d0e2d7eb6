#!/usr/bin/env node
// bench/services: how long the built-in brokers take, per service (postgresql, redis, memcached):
//
//   npm run up && node bench/services.mjs [--runs 5]
//
//   provision  POST /v3/service_instances → its job COMPLETE (the broker answered, polled if async)
//   bind       POST /v3/service_credential_bindings → job COMPLETE and the credentials in the
//              app's environment (GET /v3/apps/:guid/env)
//   restart    bind done → the app restarted and its first request that uses the service
//              succeeded (what `wharf bind-service` waits for, the app being this one instance)
//   delete     unbind + deprovision jobs COMPLETE
// It pushes test/fixtures/services-app once (as bench-services) into the CLI's targeted space. It
// prints figures (medians, and every run); it asserts nothing.
import { execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { cliToken, platformEnv, ROOT } from './platform.mjs';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const env = platformEnv();
const API = env.WHARF_API_URL;
const ROUTER_PORT = Number(env.WHARF_ROUTER_PORT || 8080);
const DOMAIN = env.WHARF_SHARED_DOMAIN || 'apps.localhost';
const token = cliToken();
const APP = 'bench-services';
const wharf = (...args) =>
  execFileSync(join(ROOT, 'bin/wharf'), args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

async function call(method, path, body) {
  const res = await fetch(`${API}${path}`, {
    method,
    headers: { authorization: token, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body && JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return {
    status: res.status,
    location: res.headers.get('location'),
    body: text ? JSON.parse(text) : undefined,
  };
}

async function until(fn, ms = 120_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function job(location) {
  const path = new URL(location).pathname;
  return until(async () => {
    const { body } = await call('GET', path);
    if (body.state === 'FAILED') throw new Error(`${body.operation}: ${body.errors[0]?.detail}`);
    return body.state === 'COMPLETE' ? body : null;
  });
}

function viaRouter(path) {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: ROUTER_PORT,
        path,
        headers: { host: `${APP}.${DOMAIN}` },
        timeout: 5000,
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, text }));
      },
    );
    req.on('error', () => resolve({ status: 0, text: '' }));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sec = (ms) => `${(ms / 1000).toFixed(2)}s`;

async function main() {
  console.log(`pushing ${APP} (test/fixtures/services-app)...`);
  wharf('push', APP, '-p', join(ROOT, 'test/fixtures/services-app'), '-m', '192M', '-i', '1');
  const app = (await call('GET', `/v3/apps?names=${APP}`)).body.resources[0];
  const spaceGuid = app.relationships.space.data.guid;
  const plans = (await call('GET', '/v3/service_plans?names=small&per_page=100')).body.resources;
  const offerings = (await call('GET', '/v3/service_offerings?per_page=100')).body.resources;
  const results = {};
  for (const label of ['postgresql', 'redis', 'memcached']) {
    const offering = offerings.find((o) => o.name === label);
    const plan = plans.find((p) => p.relationships.service_offering.data.guid === offering?.guid);
    if (!plan) throw new Error(`no ${label} small plan: is the built-in broker registered?`);
    results[label] = [];
    for (let i = 0; i < runs; i++) {
      const t = {};
      const t0 = Date.now();
      const created = await call('POST', '/v3/service_instances', {
        type: 'managed',
        name: `bench-${label}-${Date.now().toString(36)}`,
        relationships: {
          space: { data: { guid: spaceGuid } },
          service_plan: { data: { guid: plan.guid } },
        },
      });
      await job(created.location);
      t.provision = Date.now() - t0;
      // The job links the instance it created.
      const jobBody = (await call('GET', new URL(created.location).pathname)).body;
      const guid = jobBody.links.service_instance.href.split('/').pop();
      const t1 = Date.now();
      const bound = await call('POST', '/v3/service_credential_bindings', {
        type: 'app',
        relationships: { service_instance: { data: { guid } }, app: { data: { guid: app.guid } } },
      });
      await job(bound.location);
      await until(async () => {
        const e = (await call('GET', `/v3/apps/${app.guid}/env`)).body;
        return (e.system_env_json.VCAP_SERVICES[label] ?? []).length > 0;
      });
      t.bind = Date.now() - t1;
      const stats = async () =>
        (await call('GET', `/v3/apps/${app.guid}/processes/web/stats`)).body.resources;
      const before = (await stats())[0]?.instance_guid;
      const t2 = Date.now();
      await call('POST', `/v3/apps/${app.guid}/actions/restart`, {});
      // The new instance, not the old one (whose credentials may still reach a service whose
      // address was reused), must be the one answering.
      await until(async () => {
        const [s0] = await stats();
        return s0 && s0.instance_guid !== before && s0.state === 'RUNNING';
      });
      const endpoint = label === 'postgresql' ? '/pg' : `/${label}`;
      await until(async () => {
        const r = await viaRouter(`${endpoint}?value=bench`);
        return r.status === 200 && r.text.includes('"ok":true');
      });
      t.restart = Date.now() - t2;
      const t3 = Date.now();
      const bindingGuid = (
        await call('GET', `/v3/service_credential_bindings?service_instance_guids=${guid}`)
      ).body.resources[0].guid;
      await job((await call('DELETE', `/v3/service_credential_bindings/${bindingGuid}`)).location);
      await job((await call('DELETE', `/v3/service_instances/${guid}`)).location);
      t.delete = Date.now() - t3;
      results[label].push(t);
      console.log(
        `${label} run ${i + 1}: provision ${sec(t.provision)}, bind ${sec(t.bind)}, restart+use ${sec(t.restart)}, delete ${sec(t.delete)}`,
      );
    }
  }
  wharf('delete', APP, '-f');
  console.log(`\nmedians of ${runs} runs (2 cores):`);
  console.log(
    'service      provision   bind   provision+bind   bind→restarted app uses it   delete',
  );
  for (const [label, rs] of Object.entries(results)) {
    const m = (k) => median(rs.map((r) => r[k]));
    const pb = median(rs.map((r) => r.provision + r.bind));
    console.log(
      `${label.padEnd(12)} ${sec(m('provision')).padStart(9)} ${sec(m('bind')).padStart(6)} ${sec(pb).padStart(16)} ${sec(m('bind') + m('restart')).padStart(28)} ${sec(m('delete')).padStart(8)}`,
    );
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
