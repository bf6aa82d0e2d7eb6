import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type {
  AppResource,
  AuditEventResource,
  BuildResource,
  DeploymentResource,
  ListResponse,
  PackageResource,
  ProcessResource,
  ProcessStatsResponse,
  RevisionResource,
} from '@wharf/contracts';
import { CellRegisterAction } from '@wharf/cells';
import { SchedulerLeader } from '@wharf/scheduling';
import { createContainerRuntime } from '@wharf/platform/runtime';
import { startTestPlatform, TestPlatform } from '../support/test-platform';

/**
 * Deployments on the real Docker engine: a rolling deployment of a new droplet keeps the desired
 * instances serving while it replaces them, a canary pauses and continues, a crashing canary is
 * canceled with its reason while the old instances never stop, a cancel brings the old version
 * back, a rollback runs a revision's droplet and variables again, and the API refuses what CF
 * refuses.
 */
jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'wharf-deploy-'));
type Guided = { guid: string };
type CfErrors = { errors: { code: number; title: string; detail: string }[] };
type Stat = ProcessStatsResponse['resources'][number];

let platform: TestPlatform;
const tokens: Record<string, string> = {};
let app: AppResource;
let web: ProcessResource;
let dropletV1: string;
let dropletV2: string;

async function call<T>(who: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${platform.url}${path}`, {
    method,
    headers: {
      authorization: `bearer ${tokens[who] ?? ''}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function as<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await call<T>('admin', method, path, body);
  if (res.status >= 300)
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function until<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms = 150_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Uploads `dir` as a package of the app and stages it; the droplet's guid. */
async function stage(dir: string): Promise<string> {
  const pkg = await as<PackageResource>('POST', '/v3/packages', {
    type: 'bits',
    relationships: { app: { data: { guid: app.guid } } },
  });
  const archive = join(work, `app-${Date.now()}.tgz`);
  execFileSync('tar', ['-czf', archive, '-C', dir, '.']);
  const form = new FormData();
  form.append('bits', new Blob([readFileSync(archive)]), 'app.tgz');
  const up = await fetch(`${platform.url}/v3/packages/${pkg.guid}/upload`, {
    method: 'POST',
    headers: { authorization: `bearer ${tokens.admin ?? ''}` },
    body: form,
  });
  expect(up.status).toBe(200);
  const build = await as<BuildResource>('POST', '/v3/builds', { package: { guid: pkg.guid } });
  const staged = await until('the build', async () => {
    const b = await as<BuildResource>('GET', `/v3/builds/${build.guid}`);
    return b.state === 'STAGING' ? null : b;
  });
  expect(staged.error).toBeNull();
  return staged.droplet?.guid ?? '';
}

const stats = async (): Promise<Stat[]> =>
  (await as<ProcessStatsResponse>('GET', `/v3/processes/${web.guid}/stats`)).resources;

/** What an instance answers on its published port. */
async function served(s: Stat): Promise<{ version: number; greeting: string | null }> {
  const res = await fetch(`http://127.0.0.1:${s.instance_ports[0]?.external ?? 0}/`);
  return (await res.json()) as { version: number; greeting: string | null };
}

const deploy = (body: Record<string, unknown>) =>
  call<DeploymentResource>('admin', 'POST', '/v3/deployments', {
    relationships: { app: { data: { guid: app.guid } } },
    ...body,
  });

/** Polls the deployment until `done`, sampling the instances at every poll. */
async function follow(
  guid: string,
  done: (d: DeploymentResource) => boolean,
  sample: (s: Stat[]) => void = () => undefined,
): Promise<DeploymentResource> {
  return until(`deployment ${guid}`, async () => {
    sample(await stats());
    const d = await as<DeploymentResource>('GET', `/v3/deployments/${guid}`);
    return done(d) ? d : null;
  });
}

const finalized = (d: DeploymentResource) => d.status.value === 'FINALIZED';

/** Every desired instance RUNNING, and nothing else. */
const settled = () =>
  until('3 running instances and nothing else', async () => {
    const s = await stats();
    return s.length === 3 && s.every((i) => i.state === 'RUNNING') ? s : null;
  });

beforeAll(async () => {
  // Two droplets kept per app: the third staged expires the oldest one nothing runs.
  platform = await startTestPlatform({ dropletsToKeep: 2 });
  await platform.api
    .get(CellRegisterAction)
    .execute({ name: 'local', dockerEndpoint: platform.config.dockerHost });
  await platform.worker.get(SchedulerLeader).sweep();
  tokens.admin = await platform.login('deployer', { admin: true });
  const org = await as<Guided>('POST', '/v3/organizations', { name: 'dep-org' });
  const space = await as<Guided>('POST', '/v3/spaces', {
    name: 'dep-space',
    relationships: { organization: { data: { guid: org.guid } } },
  });
  for (const who of ['auditor', 'outsider']) tokens[who] = await platform.login(who);
  const auditor = (await as<ListResponse<Guided>>('GET', '/v3/users?usernames=auditor'))
    .resources[0];
  for (const type of ['organization_user', 'space_auditor']) {
    const target = type.startsWith('space') ? space : org;
    await as('POST', '/v3/roles', {
      type,
      relationships: {
        user: { data: { guid: auditor?.guid } },
        [type.startsWith('space') ? 'space' : 'organization']: { data: { guid: target.guid } },
      },
    });
  }
  app = await as<AppResource>('POST', '/v3/apps', {
    name: 'dep',
    relationships: { space: { data: { guid: space.guid } } },
  });
  const v1 = join(work, 'v1');
  const v2 = join(work, 'v2');
  cpSync(join(ROOT, 'test/fixtures/node-app'), v1, { recursive: true });
  cpSync(join(ROOT, 'test/fixtures/node-app'), v2, { recursive: true });
  writeFileSync(join(v2, 'version.json'), '{ "version": 2 }\n');
  dropletV1 = await stage(v1);
  dropletV2 = await stage(v2);
  await as('PATCH', `/v3/apps/${app.guid}/relationships/current_droplet`, {
    data: { guid: dropletV1 },
  });
  web = await as<ProcessResource>('GET', `/v3/apps/${app.guid}/processes/web`);
  await as('POST', `/v3/processes/${web.guid}/actions/scale`, { instances: 3 });
  await as('POST', `/v3/apps/${app.guid}/actions/start`);
  await settled();
});

afterAll(async () => {
  await platform?.close();
  const runtime = createContainerRuntime(platform.config.dockerHost);
  const mine = { 'wharf.installation': platform.config.installation };
  for (const c of await runtime.listContainers({ labels: mine, all: true }))
    await runtime.removeContainer(c.id, { force: true });
  const images = await runtime.listImages({ labels: mine });
  images.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const i of images) await runtime.removeImage(i.id, { force: true });
  for (const v of await runtime.listVolumes({ labels: mine })) await runtime.removeVolume(v.name);
  rmSync(work, { recursive: true, force: true });
});

describe('deployments', () => {
  it('rolls a new droplet out max_in_flight at a time, never below the desired instances serving', async () => {
    const created = await deploy({ droplet: { guid: dropletV2 }, options: { max_in_flight: 2 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: { value: 'ACTIVE', reason: 'DEPLOYING' },
      strategy: 'rolling',
      options: { max_in_flight: 2 },
      droplet: { guid: dropletV2 },
      previous_droplet: { guid: dropletV1 },
      new_processes: [{ guid: web.guid, type: 'web' }],
      relationships: { app: { data: { guid: app.guid } } },
    });
    expect(created.body.revision?.version).toEqual(expect.any(Number));
    expect(created.body.links.cancel?.method).toBe('POST');
    let fewestServing = Infinity;
    let mostStarting = 0;
    const done = await follow(created.body.guid, finalized, (s) => {
      fewestServing = Math.min(fewestServing, s.filter((i) => i.state === 'RUNNING').length);
      mostStarting = Math.max(
        mostStarting,
        s.filter((i) => i.state === 'STARTING' && i.droplet_guid === dropletV2).length,
      );
    });
    expect(done.status.reason).toBe('DEPLOYED');
    expect(done.status.details.last_successful_healthcheck).not.toBeNull();
    expect(done.links.cancel).toBeUndefined();
    expect(fewestServing).toBeGreaterThanOrEqual(3);
    expect(mostStarting).toBeLessThanOrEqual(2);
    const after = await settled();
    expect(after.map((s) => s.droplet_guid)).toEqual([dropletV2, dropletV2, dropletV2]);
    expect(after.map((s) => s.index).sort()).toEqual([0, 1, 2]);
    for (const s of after) expect((await served(s)).version).toBe(2);
    const current = await as<{ data: Guided }>(
      'GET',
      `/v3/apps/${app.guid}/relationships/current_droplet`,
    );
    expect(current.data.guid).toBe(dropletV2);
  });

  it('cancels a canary whose instance crashes, with the reason, and never stops the old instances', async () => {
    const before = await settled();
    const old = new Set(before.map((s) => s.instance_guid));
    await as('PATCH', `/v3/processes/${web.guid}`, { command: "sh -c 'exit 3'" });
    const created = await deploy({ strategy: 'canary' });
    expect(created.status).toBe(201);
    let oldServing = Infinity;
    const done = await follow(created.body.guid, finalized, (s) => {
      oldServing = Math.min(
        oldServing,
        s.filter((i) => old.has(i.instance_guid) && i.state === 'RUNNING').length,
      );
    });
    expect(done.status.reason).toBe('CANCELED');
    expect(done.status.details.error).toMatch(
      /^Instance 0 of process type 'web' of the new version failed: APP\/PROC\/WEB: Exited with status 3/,
    );
    expect(done.status.canary).toEqual({ steps: { current: 1, total: 1 } });
    expect(oldServing).toBe(3);
    const after = await settled();
    expect(new Set(after.map((s) => s.instance_guid))).toEqual(old);
    await as('PATCH', `/v3/processes/${web.guid}`, { command: null });
  });

  it('pauses a canary with one new instance beside the old ones; continue rolls out the rest', async () => {
    await as('PATCH', `/v3/apps/${app.guid}/environment_variables`, {
      var: { GREETING: 'canary' },
    });
    const created = await deploy({ strategy: 'canary', options: { max_in_flight: 3 } });
    const paused = await follow(created.body.guid, (d) => d.status.reason !== 'DEPLOYING');
    expect(paused.status).toMatchObject({ value: 'ACTIVE', reason: 'PAUSED' });
    expect(paused.links.continue?.method).toBe('POST');
    // Both versions serve: CF lists both revisions as deployed.
    const deployed = await as<ListResponse<RevisionResource>>(
      'GET',
      `/v3/apps/${app.guid}/revisions/deployed`,
    );
    expect(deployed.resources.map((r) => r.guid)).toContain(paused.revision?.guid);
    expect(deployed.resources).toHaveLength(2);
    const during = await stats();
    const greetings = await Promise.all(
      during.filter((s) => s.state === 'RUNNING').map(async (s) => (await served(s)).greeting),
    );
    expect(greetings.filter((g) => g === 'canary')).toHaveLength(1);
    expect(greetings.filter((g) => g === null)).toHaveLength(2);
    const resumed = await call(
      'admin',
      'POST',
      `/v3/deployments/${created.body.guid}/actions/continue`,
    );
    expect(resumed.status).toBe(200);
    const done = await follow(created.body.guid, finalized);
    expect(done.status.reason).toBe('DEPLOYED');
    for (const s of await settled()) expect((await served(s)).greeting).toBe('canary');
    const again = await call<CfErrors>(
      'admin',
      'POST',
      `/v3/deployments/${created.body.guid}/actions/continue`,
    );
    expect(again.status).toBe(422);
    expect(again.body.errors[0]?.detail).toBe(
      'Cannot continue a deployment with status: FINALIZED and reason: DEPLOYED',
    );
    const cancel = await call<CfErrors>(
      'admin',
      'POST',
      `/v3/deployments/${created.body.guid}/actions/cancel`,
    );
    expect(cancel.status).toBe(422);
    expect(cancel.body.errors[0]?.detail).toBe('Cannot cancel a DEPLOYED deployment');
  });

  it('brings the previous version back when a deployment is canceled', async () => {
    await as('PATCH', `/v3/apps/${app.guid}/environment_variables`, {
      var: { GREETING: 'never' },
    });
    const created = await deploy({});
    await until('a new instance starting', async () =>
      (await stats()).some((s) => s.state !== 'RUNNING' || s.instance_guid === undefined),
    );
    const canceled = await call(
      'admin',
      'POST',
      `/v3/deployments/${created.body.guid}/actions/cancel`,
    );
    expect(canceled.status).toBe(200);
    const done = await follow(created.body.guid, finalized);
    expect(done.status.reason).toBe('CANCELED');
    expect(done.status.details.error).toBeUndefined();
    const events = await as<ListResponse<AuditEventResource>>(
      'GET',
      `/v3/audit_events?target_guids=${app.guid}&types=audit.app.deployment.cancel`,
    );
    // Only the user's cancel is an audit event: the platform's says why in the deployment.
    expect(events.resources.map((e) => e.actor.type)).toEqual(['user']);
    for (const s of await settled()) expect((await served(s)).greeting).toBe('canary');
  });

  it('rolls back to a revision: its droplet and variables run again, as a new revision', async () => {
    const revisions = await as<ListResponse<RevisionResource>>(
      'GET',
      `/v3/apps/${app.guid}/revisions?order_by=created_at`,
    );
    const first = revisions.resources[0];
    expect(first?.droplet.guid).toBe(dropletV1);
    const created = await deploy({ revision: { guid: first?.guid } });
    expect(created.status).toBe(201);
    const done = await follow(created.body.guid, finalized);
    expect(done.status.reason).toBe('DEPLOYED');
    for (const s of await settled())
      expect(await served(s)).toMatchObject({ version: 1, greeting: null });
    const newest = await as<RevisionResource>('GET', `/v3/revisions/${done.revision?.guid ?? ''}`);
    expect(newest.description).toMatch(new RegExp(`Rolled back to revision ${first?.version}\\.$`));
    expect(newest.droplet.guid).toBe(dropletV1);
    const same = await deploy({ revision: { guid: newest.guid } });
    expect(same.status).toBe(422);
    expect((same.body as unknown as CfErrors).errors[0]?.detail).toBe(
      'Unable to rollback. The code and configuration you are rolling back to is the same as the deployed revision.',
    );
  });

  it('supersedes an active deployment with a new one', async () => {
    const first = await deploy({ droplet: { guid: dropletV2 } });
    const second = await deploy({ droplet: { guid: dropletV2 } });
    expect(second.status).toBe(201);
    const superseded = await as<DeploymentResource>('GET', `/v3/deployments/${first.body.guid}`);
    expect(superseded.status).toMatchObject({ value: 'FINALIZED', reason: 'SUPERSEDED' });
    const done = await follow(second.body.guid, finalized);
    expect(done.status.reason).toBe('DEPLOYED');
    expect((await settled()).map((s) => s.droplet_guid)).toEqual([dropletV2, dropletV2, dropletV2]);
    const active = await as<ListResponse<DeploymentResource>>(
      'GET',
      `/v3/deployments?app_guids=${app.guid}&status_values=ACTIVE`,
    );
    expect(active.resources).toEqual([]);
    const listed = await as<ListResponse<DeploymentResource>>(
      'GET',
      `/v3/deployments?app_guids=${app.guid}&status_reasons=SUPERSEDED`,
    );
    expect(listed.resources.map((d) => d.guid)).toEqual([first.body.guid]);
  });

  it('refuses what CF refuses, and shows deployments only to those who see the app', async () => {
    const refused = async (body: Record<string, unknown>, detail: string | RegExp) => {
      const res = await deploy(body);
      expect(res.status).toBe(422);
      expect((res.body as unknown as CfErrors).errors[0]?.detail).toMatch(detail);
    };
    await refused({ strategy: 'blue-green' }, "Strategy must be one of 'rolling', 'canary'");
    await refused(
      { options: { max_in_flight: 0 } },
      'Max in flight must be an integer greater than 0',
    );
    await refused(
      { droplet: { guid: dropletV1 }, revision: { guid: dropletV1 } },
      'Cannot set both droplet and revision.',
    );
    await refused(
      { droplet: { guid: '00000000-0000-4000-8000-000000000000' } },
      'Unable to assign current droplet. Ensure the droplet exists and belongs to this app.',
    );
    const unknownApp = await call<CfErrors>('admin', 'POST', '/v3/deployments', {
      relationships: { app: { data: { guid: '00000000-0000-4000-8000-000000000000' } } },
    });
    expect(unknownApp.status).toBe(422);
    expect(unknownApp.body.errors[0]?.detail).toBe(
      'Unable to use app. Ensure that the app exists and you have access to it.',
    );
    const body = { relationships: { app: { data: { guid: app.guid } } } };
    expect((await call('auditor', 'POST', '/v3/deployments', body)).status).toBe(403);
    expect((await call<CfErrors>('outsider', 'POST', '/v3/deployments', body)).status).toBe(422);
    const [any] = (
      await as<ListResponse<DeploymentResource>>('GET', `/v3/deployments?app_guids=${app.guid}`)
    ).resources;
    const path = `/v3/deployments/${any?.guid ?? ''}`;
    expect((await call('auditor', 'GET', path)).status).toBe(200);
    expect((await call('outsider', 'GET', path)).status).toBe(404);
    const outsiderList = await call<ListResponse<DeploymentResource>>(
      'outsider',
      'GET',
      '/v3/deployments',
    );
    expect(outsiderList.body.resources).toEqual([]);
    expect((await call('auditor', 'POST', `${path}/actions/cancel`)).status).toBe(403);
    const labeled = await as<DeploymentResource>('PATCH', path, {
      metadata: { labels: { release: 'r1' } },
    });
    expect(labeled.metadata.labels).toEqual({ release: 'r1' });
    const created = await as<ListResponse<AuditEventResource>>(
      'GET',
      `/v3/audit_events?target_guids=${app.guid}&types=audit.app.deployment.create`,
    );
    expect(created.resources.length).toBeGreaterThanOrEqual(6);
  });

  it('expires droplets beyond the kept ones that nothing runs; their revisions are no longer deployable', async () => {
    const v3 = join(work, 'v3');
    cpSync(join(ROOT, 'test/fixtures/node-app'), v3, { recursive: true });
    writeFileSync(join(v3, 'version.json'), '{ "version": 3 }\n');
    await stage(v3);
    const old = await as<{ state: string }>('GET', `/v3/droplets/${dropletV1}`);
    expect(old.state).toBe('EXPIRED');
    expect((await as<{ state: string }>('GET', `/v3/droplets/${dropletV2}`)).state).toBe('STAGED');
    const runtime = createContainerRuntime(platform.config.dockerHost);
    const images = await runtime.listImages({ labels: { 'wharf.droplet_guid': dropletV1 } });
    expect(images).toEqual([]);
    const [first] = (
      await as<ListResponse<RevisionResource>>(
        'GET',
        `/v3/apps/${app.guid}/revisions?order_by=created_at`,
      )
    ).resources;
    expect(first?.deployable).toBe(false);
    const refused = await deploy({ revision: { guid: first?.guid } });
    expect(refused.status).toBe(422);
    expect((refused.body as unknown as CfErrors).errors[0]?.detail).toBe(
      'Unable to deploy this revision, the droplet for this revision no longer exists.',
    );
    // The app still runs: its droplet was in use.
    expect((await settled()).map((s) => s.droplet_guid)).toEqual([dropletV2, dropletV2, dropletV2]);
  });
});
