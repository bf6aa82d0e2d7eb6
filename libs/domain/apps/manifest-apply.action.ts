import type { AuditActor } from '@wharf/events';
import { AppAudit } from './app-audit';
import { Injectable } from '@nestjs/common';
import { requireDeveloper, Visibility } from '@wharf/access';
import { IdentityQueryService, QuotaLock } from '@wharf/identity';
import { JobBus, JobTransaction } from '@wharf/platform/queue';
import { AppConvergeTrigger } from './app-converge.trigger';
import { AppCreateAction } from './app-create.action';
import { AppEntity } from './app.entity';
import { AppRepository } from './app.repository';
import { AppEnvironmentUpdateAction } from './app-environment-update.action';
import { AppUpdateAction } from './app-update.action';
import { validateEnvironmentVariables } from './environment-variables';
import { Manifest, ProcessManifest } from './manifest';
import { newProcessFields, PROCESS_DEFAULTS } from './process-defaults';
import { ProcessRepository } from './process.repository';
import { ProcessUpdateAction } from './process-update.action';
import { AppQuotaCheck, ProcessDemand } from './app-quota.check';

/**
 * POST /v3/spaces/:guid/actions/apply_manifest: each application of the manifest is created when
 * missing and given the manifest's buildpacks, stack, variables and processes (command,
 * instances, memory, disk, health check); fields the manifest leaves out keep their values, as
 * in CF. Desired state only: a running app changes at its next restart (instances at once).
 * Each step commits with its audit event and its jobs: the app's creation, its lifecycle and its
 * variables (each with its own event), then its processes, their events, the converge a started
 * app needs and `audit.app.apply_manifest` in one transaction.
 */
@Injectable()
export class ManifestApplyAction {
  constructor(
    private readonly audit: AppAudit,
    private readonly apps: AppRepository,
    private readonly processes: ProcessRepository,
    private readonly createApp: AppCreateAction,
    private readonly updateApp: AppUpdateAction,
    private readonly updateEnv: AppEnvironmentUpdateAction,
    private readonly updateProcess: ProcessUpdateAction,
    private readonly identity: IdentityQueryService,
    private readonly converge: AppConvergeTrigger,
    private readonly quota: AppQuotaCheck,
    private readonly quotaLock: QuotaLock,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: {
    scope: Visibility;
    spaceGuid: string;
    manifest: Manifest;
    actor?: AuditActor;
  }): Promise<AppEntity[]> {
    // An invisible space is a 404, before anything is looked up in it.
    await this.identity.getSpace(input.scope, input.spaceGuid);
    requireDeveloper(input.scope, input.spaceGuid);
    // Nothing else counting against the organization's quotas changes until it is applied.
    return this.quotaLock.inSpace(input.spaceGuid, () => this.apply(input));
  }

  private async apply(input: {
    scope: Visibility;
    spaceGuid: string;
    manifest: Manifest;
    actor?: AuditActor;
  }): Promise<AppEntity[]> {
    // Every application is checked (its variables, the quotas) before any is changed, so a
    // refused manifest changes nothing.
    for (const m of input.manifest.applications) validateEnvironmentVariables(m.env);
    for (const m of input.manifest.applications) await this.checkQuota(input.spaceGuid, m);
    const applied: AppEntity[] = [];
    for (const m of input.manifest.applications) {
      let app = await this.apps.findByNameInSpace(input.spaceGuid, m.name);
      const lifecycle =
        m.buildpacks || m.stack
          ? {
              type: 'buildpack' as const,
              ...(m.buildpacks ? { buildpacks: m.buildpacks } : {}),
              ...(m.stack ? { stack: m.stack } : {}),
            }
          : undefined;
      if (!app) {
        app = await this.createApp.execute({
          scope: input.scope,
          name: m.name,
          spaceGuid: input.spaceGuid,
          environmentVariables: m.env,
          lifecycle,
          actor: input.actor,
        });
      } else {
        if (lifecycle)
          app = await this.updateApp.execute({
            scope: input.scope,
            guid: app.guid,
            lifecycle,
            actor: input.actor,
          });
        if (Object.keys(m.env).length > 0) {
          await this.updateEnv.execute({
            scope: input.scope,
            guid: app.guid,
            variables: m.env,
            actor: input.actor,
          });
        }
      }
      const target = app;
      await this.jobs.transaction(async (tx) => {
        for (const p of m.processes) await this.applyProcess(tx, target, p, input.actor);
        // New instance counts apply at once to a started app.
        if (target.state === 'STARTED') await this.converge.now(target.guid, tx);
        await this.audit.record(
          target,
          'audit.app.apply_manifest',
          input.actor,
          { request: { manifest: { applications: [{ name: m.name }] } } },
          tx.manager,
        );
      });
      applied.push(app);
    }
    return applied;
  }

  private async checkQuota(spaceGuid: string, m: Manifest['applications'][number]): Promise<void> {
    const app = await this.apps.findByNameInSpace(spaceGuid, m.name);
    const current = app ? await this.processes.listForApp(app.guid) : [];
    const after: ProcessDemand[] = current.map((p) => {
      const change = m.processes.find((c) => c.type === p.type);
      return {
        instances: change?.instances ?? p.instances,
        memoryInMb: change?.memoryMb ?? p.memoryInMb,
      };
    });
    for (const c of m.processes) {
      if (current.some((p) => p.type === c.type)) continue;
      const web = c.type === 'web';
      after.push({
        instances:
          c.instances ?? (web ? PROCESS_DEFAULTS.webInstances : PROCESS_DEFAULTS.otherInstances),
        memoryInMb: c.memoryMb ?? PROCESS_DEFAULTS.memoryInMb,
      });
    }
    await this.quota.check({
      app: app ?? { guid: '', spaceGuid, state: 'STOPPED' },
      after,
      startedAfter: app?.state === 'STARTED',
      memorySet: m.processes.flatMap((c) => (c.memoryMb !== undefined ? [c.memoryMb] : [])),
      what: `applying the manifest to app '${m.name}'`,
    });
  }

  private async applyProcess(
    tx: JobTransaction,
    app: AppEntity,
    m: ProcessManifest,
    actor: AuditActor | undefined,
  ): Promise<void> {
    let process = await this.processes.findByAppAndType(app.guid, m.type, tx.manager);
    process ??= await this.processes.save(
      this.processes.create(newProcessFields(app.guid, m.type)),
      tx.manager,
    );
    if (m.instances !== undefined) process.instances = m.instances;
    if (m.memoryMb !== undefined) process.memoryInMb = m.memoryMb;
    if (m.diskMb !== undefined) process.diskInMb = m.diskMb;
    await this.processes.save(process, tx.manager);
    const hcType = m.healthCheckType ?? (m.healthCheckHttpEndpoint ? 'http' : undefined);
    if (
      m.command !== undefined ||
      hcType ||
      m.timeout !== undefined ||
      m.healthCheckInvocationTimeout !== undefined
    ) {
      await this.updateProcess.changeIn(tx, app, process, {
        actor,
        ...(m.command !== undefined ? { command: m.command } : {}),
        healthCheck: {
          type: hcType ?? process.healthCheckType,
          ...(m.healthCheckHttpEndpoint ? { endpoint: m.healthCheckHttpEndpoint } : {}),
          ...(m.timeout !== undefined ? { timeout: m.timeout } : {}),
          ...(m.healthCheckInvocationTimeout !== undefined
            ? { invocationTimeout: m.healthCheckInvocationTimeout }
            : {}),
        },
      });
    }
  }
}
