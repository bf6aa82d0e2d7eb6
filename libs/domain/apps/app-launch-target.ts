import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_DROPLETS, AppDroplets } from './app-droplets.port';
import { AppEntity } from './app.entity';
import { ProcessEntity } from './process.entity';
import { RevisionRepository } from './revision.repository';

/** What an instance of a process runs: its droplet, the app's own variables and its command. */
export interface LaunchTarget {
  dropletGuid: string;
  environmentVariables: Record<string, string>;
  /** Null: neither a custom command nor one the droplet detected for the process type. */
  command: string | null;
}

/**
 * What a process's instances run, as CF decides it: the revision the process points at (its
 * droplet, variables and custom commands), so a rollback or a canceled deployment runs exactly
 * what that revision recorded; without one (revisions off) the app's current droplet and
 * variables and the process's command.
 */
@Injectable()
export class AppLaunchTargets {
  constructor(
    private readonly revisions: RevisionRepository,
    @Optional() @Inject(APP_DROPLETS) private readonly droplets?: AppDroplets,
  ) {}

  async resolve(app: AppEntity, process: ProcessEntity): Promise<LaunchTarget | null> {
    const revision =
      app.revisionsEnabled && process.revisionGuid
        ? await this.revisions.findByGuidUnscoped(process.revisionGuid)
        : null;
    const dropletGuid = revision?.dropletGuid ?? app.currentDropletGuid;
    if (!dropletGuid) return null;
    const custom =
      revision && process.type in revision.commands
        ? (revision.commands[process.type] ?? null)
        : process.command;
    const detected =
      dropletGuid === app.currentDropletGuid
        ? app.dropletProcessTypes
        : ((await this.droplets?.findStaged(dropletGuid))?.processTypes ?? {});
    return {
      dropletGuid,
      environmentVariables: revision?.environmentVariables ?? app.environmentVariables,
      command: custom ?? detected[process.type] ?? null,
    };
  }
}
