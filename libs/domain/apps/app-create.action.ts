import type { AuditActor } from '@wharf/events';
import { AppAudit } from './app-audit';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { requireDeveloper, Visibility } from '@wharf/access';
import { IdentityQueryService, mergeMetadata, MetadataPatch } from '@wharf/identity';
import { isUniqueViolation } from '@wharf/platform/db';
import { DomainError } from '@wharf/platform/errors';
import { JobBus } from '@wharf/platform/queue';
import { AppEntity, LifecycleType } from './app.entity';
import { AppRepository } from './app.repository';
import { newProcessFields } from './process-defaults';
import { ProcessRepository } from './process.repository';
import { AppsErrorCode, appsError } from './apps.errors';
import { validateEnvironmentVariables } from './environment-variables';

export interface AppLifecycleInput {
  type: LifecycleType;
  buildpacks?: string[];
  stack?: string;
}

export interface AppCreateInput {
  scope: Visibility;
  name: string;
  spaceGuid: string;
  lifecycle?: AppLifecycleInput;
  environmentVariables?: Record<string, string>;
  metadata?: MetadataPatch;
  actor?: AuditActor;
}

@Injectable()
export class AppCreateAction {
  constructor(
    private readonly audit: AppAudit,
    private readonly apps: AppRepository,
    private readonly processes: ProcessRepository,
    private readonly identity: IdentityQueryService,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: AppCreateInput): Promise<AppEntity> {
    const space = await this.identity
      .getSpace(input.scope, input.spaceGuid)
      .catch((err: unknown) => {
        if (err instanceof DomainError && err.kind === 'not_found') {
          throw appsError(
            AppsErrorCode.InvalidSpace,
            'Invalid space. Ensure that the space exists and you have access to it.',
          );
        }
        throw err;
      });
    requireDeveloper(input.scope, space.guid);
    const taken = () =>
      appsError(AppsErrorCode.AppNameTaken, `App with the name '${input.name}' already exists.`);
    if (await this.apps.findByNameInSpace(space.guid, input.name)) throw taken();
    const env = input.environmentVariables ?? {};
    validateEnvironmentVariables(env);
    try {
      // The app, its web process and its event commit together.
      return await this.jobs.transaction(async (tx) => {
        const app = await this.apps.save(
          this.apps.create({
            guid: randomUUID(),
            name: input.name,
            spaceGuid: space.guid,
            state: 'STOPPED',
            lifecycleType: input.lifecycle?.type ?? 'buildpack',
            buildpacks: input.lifecycle?.buildpacks ?? [],
            stack: input.lifecycle?.stack ?? 'bookworm',
            currentDropletGuid: null,
            environmentVariables: env,
            labels: mergeMetadata({}, input.metadata?.labels),
            annotations: mergeMetadata({}, input.metadata?.annotations),
          }),
          tx.manager,
        );
        // Every app has a web process from the start, as in Cloud Foundry.
        await this.processes.save(
          this.processes.create(newProcessFields(app.guid, 'web')),
          tx.manager,
        );
        await this.audit.record(
          app,
          'audit.app.create',
          input.actor,
          { request: { name: app.name, lifecycle: { buildpacks: app.buildpacks } } },
          tx.manager,
        );
        return app;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw taken();
      throw err;
    }
  }
}
