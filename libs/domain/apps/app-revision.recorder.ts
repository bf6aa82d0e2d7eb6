import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditActor } from '@wharf/events';
import { AppAudit } from './app-audit';
import { AppEntity } from './app.entity';
import { ProcessEntity } from './process.entity';
import { ProcessRepository } from './process.repository';
import { RevisionEntity } from './revision.entity';
import { RevisionRepository } from './revision.repository';

/** CF numbers an app's revisions 1 to 9999, then starts again at 1. */
const MAX_VERSION = 9999;

/**
 * Records what an app starts from, as CF's revision resolver does: on a start or restart, a new
 * revision when the droplet, the environment variables or a process's custom command differ
 * from the app's latest revision (the first one is the "Initial revision."), described by what
 * changed; the app's processes then point at the revision they run. Nothing when the app's
 * `revisions` feature is off or it has no droplet.
 */
@Injectable()
export class AppRevisionRecorder {
  constructor(
    private readonly revisions: RevisionRepository,
    private readonly audit: AppAudit,
    private readonly processes: ProcessRepository,
  ) {}

  async record(
    app: AppEntity,
    processes: ProcessEntity[],
    actor: AuditActor | undefined,
    manager: EntityManager,
  ): Promise<RevisionEntity | null> {
    if (!app.revisionsEnabled || !app.currentDropletGuid) return null;
    const commands = Object.fromEntries(processes.map((p) => [p.type, p.command]));
    const latest = await this.revisions.latest(app.guid, manager);
    const reasons = latest
      ? changes(latest, app.currentDropletGuid, app.environmentVariables, commands)
      : ['Initial revision.'];
    const revision =
      latest && reasons.length === 0
        ? latest
        : await this.add(
            app,
            latest,
            {
              dropletGuid: app.currentDropletGuid,
              environmentVariables: { ...app.environmentVariables },
              commands,
            },
            reasons,
            actor,
            manager,
          );
    if (processes.some((p) => p.revisionGuid !== revision.guid))
      await this.processes.setRevision(app.guid, revision.guid, manager);
    return revision;
  }

  /**
   * A rollback to `target`: always a new revision with the target's droplet, variables and
   * commands, described by what differs from the latest and "Rolled back to revision N.", as
   * CF's. The processes point at it. Null when the app's `revisions` feature is off.
   */
  async recordRollback(
    app: AppEntity,
    target: RevisionEntity,
    actor: AuditActor | undefined,
    manager: EntityManager,
  ): Promise<RevisionEntity | null> {
    if (!app.revisionsEnabled) return null;
    const latest = await this.revisions.latest(app.guid, manager);
    const reasons = latest
      ? changes(latest, target.dropletGuid, target.environmentVariables, target.commands)
      : [];
    const revision = await this.add(
      app,
      latest,
      {
        dropletGuid: target.dropletGuid,
        environmentVariables: { ...target.environmentVariables },
        commands: { ...target.commands },
      },
      [...reasons, `Rolled back to revision ${target.version}.`],
      actor,
      manager,
    );
    await this.processes.setRevision(app.guid, revision.guid, manager);
    return revision;
  }

  private async add(
    app: AppEntity,
    latest: RevisionEntity | null,
    settings: Pick<RevisionEntity, 'dropletGuid' | 'environmentVariables' | 'commands'>,
    reasons: string[],
    actor: AuditActor | undefined,
    manager: EntityManager,
  ): Promise<RevisionEntity> {
    const version = latest && latest.version < MAX_VERSION ? latest.version + 1 : 1;
    const revision = await this.revisions.add(
      this.revisions.create({
        guid: randomUUID(),
        appGuid: app.guid,
        version,
        ...settings,
        description: reasons.join(' '),
      }),
      manager,
    );
    await this.audit.record(
      app,
      'audit.app.revision.create',
      actor,
      { revision_guid: revision.guid, revision_version: revision.version },
      manager,
    );
    return revision;
  }
}

/** What differs from `latest`, in CF's words, sorted as CF sorts them. */
export function changes(
  latest: Pick<RevisionEntity, 'dropletGuid' | 'environmentVariables' | 'commands'>,
  dropletGuid: string,
  environmentVariables: Record<string, string>,
  commands: Record<string, string | null>,
): string[] {
  const reasons: string[] = [];
  if (latest.dropletGuid !== dropletGuid) reasons.push('New droplet deployed.');
  if (!sameVariables(latest.environmentVariables, environmentVariables))
    reasons.push('New environment variables deployed.');
  for (const type of new Set([...Object.keys(latest.commands), ...Object.keys(commands)])) {
    const before = latest.commands[type];
    const after = commands[type];
    if (before === undefined) {
      reasons.push(`New process type '${type}' added.`);
    } else if (after === undefined) {
      reasons.push(`Process type '${type}' removed.`);
    } else if (before === null && after !== null) {
      reasons.push(`Custom start command added for '${type}' process.`);
    } else if (before !== null && after === null) {
      reasons.push(`Custom start command removed for '${type}' process.`);
    } else if (before !== after) {
      reasons.push(`Custom start command updated for '${type}' process.`);
    }
  }
  return reasons.sort();
}

function sameVariables(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}
