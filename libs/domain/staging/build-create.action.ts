import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppsQueryService } from '@wharf/apps';
import { PackagesQueryService } from '@wharf/packages';
import { AuditActor, AuditEventRecordAction, SYSTEM_ACTOR } from '@wharf/events';
import { Visibility } from '@wharf/access';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { DomainError } from '@wharf/platform/errors';
import { JobBus } from '@wharf/platform/queue';
import { BuildpacksQueryService } from './buildpacks-query.service';
import { BuildEntity } from './build.entity';
import { BuildRepository } from './build.repository';
import { StagingErrorCode, stagingError } from './staging.errors';

export interface BuildCreateInput {
  scope: Visibility;
  packageGuid: string;
  /** Buildpack names; the app's own list when omitted (empty = detect). */
  buildpacks?: string[];
  stack?: string;
  stagingMemoryInMb?: number;
  stagingDiskInMb?: number;
  createdBy: { guid: string | null; name: string };
  actor?: AuditActor;
}

/** CF's staging defaults (cloud_controller_ng's staging memory and disk). */
export const STAGING_DEFAULTS = { memoryInMb: 1024, diskInMb: 4096 } as const;

/** POST /v3/builds: a build in STAGING, staged by a worker job. */
@Injectable()
export class BuildCreateAction {
  constructor(
    private readonly builds: BuildRepository,
    private readonly packages: PackagesQueryService,
    private readonly apps: AppsQueryService,
    private readonly buildpacks: BuildpacksQueryService,
    private readonly jobs: JobBus,
    private readonly events: AuditEventRecordAction,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  async execute(input: BuildCreateInput): Promise<BuildEntity> {
    // CF answers an unknown (or invisible) package in a build request with 422, not 404.
    const pkg = await this.packages
      .getPackageToChange(input.scope, input.packageGuid)
      .catch((err: unknown) => {
        if (err instanceof DomainError && err.kind === 'forbidden') throw err;
        throw stagingError(
          StagingErrorCode.PackageNotReady,
          'Unable to use package. Ensure that the package exists and you have access to it.',
        );
      });
    if (pkg.state !== 'READY') {
      throw stagingError(
        StagingErrorCode.PackageNotReady,
        `The package is not ready to stage (state ${pkg.state}); upload its bits first.`,
      );
    }
    const app = await this.apps.getApp(input.scope, pkg.appGuid);
    const buildpacks = input.buildpacks ?? app.buildpacks;
    const installed = (await this.buildpacks.list()).map((b) => b.name);
    const unknown = buildpacks.filter((b) => !installed.includes(b));
    if (unknown.length > 0) {
      throw stagingError(
        StagingErrorCode.UnknownBuildpack,
        `Buildpack "${unknown.join('", "')}" must be an existing admin buildpack (installed: ${installed.join(', ')}).`,
      );
    }
    // The build, its event and its job commit together: a build is never STAGING with no job.
    return this.jobs.transaction(async (tx) => {
      const build = await this.builds.save(
        this.builds.create({
          guid: randomUUID(),
          appGuid: app.guid,
          packageGuid: pkg.guid,
          state: 'STAGING',
          error: null,
          buildpacks,
          stack: input.stack ?? (app.stack || this.config.stack),
          stagingMemoryInMb: input.stagingMemoryInMb ?? STAGING_DEFAULTS.memoryInMb,
          stagingDiskInMb: input.stagingDiskInMb ?? STAGING_DEFAULTS.diskInMb,
          dropletGuid: null,
          createdByGuid: input.createdBy.guid,
          createdByName: input.createdBy.name,
          labels: {},
          annotations: {},
        }),
        tx.manager,
      );
      await this.events.execute(
        {
          type: 'audit.app.build.create',
          actor: input.actor ?? SYSTEM_ACTOR,
          target: { guid: app.guid, type: 'app', name: app.name },
          data: { build_guid: build.guid, package_guid: pkg.guid },
          spaceGuid: app.spaceGuid,
        },
        tx.manager,
      );
      await tx.enqueue('build.stage', { buildGuid: build.guid }, { key: build.guid });
      return build;
    });
  }
}
