import type { AuditActor } from '@wharf/events';
import { AppAudit } from './app-audit';
import { Injectable } from '@nestjs/common';
import { Visibility } from '@wharf/access';
import { mergeMetadata, MetadataPatch } from '@wharf/identity';
import { isUniqueViolation } from '@wharf/platform/db';
import { notFound } from '@wharf/platform/errors';
import { JobBus } from '@wharf/platform/queue';
import type { AppLifecycleInput } from './app-create.action';
import { AppEntity } from './app.entity';
import { AppRepository } from './app.repository';
import { AppsErrorCode, appsError } from './apps.errors';
import { AppsQueryService } from './apps-query.service';

export interface AppUpdateInput {
  scope: Visibility;
  guid: string;
  name?: string;
  lifecycle?: AppLifecycleInput;
  metadata?: MetadataPatch;
  actor?: AuditActor;
}

/** Desired state only: a new name, buildpacks or stack take effect at the next staging. */
@Injectable()
export class AppUpdateAction {
  constructor(
    private readonly audit: AppAudit,
    private readonly apps: AppRepository,
    private readonly query: AppsQueryService,
    private readonly jobs: JobBus,
  ) {}

  async execute(input: AppUpdateInput): Promise<AppEntity> {
    const app = await this.query.getAppToChange(input.scope, input.guid);
    const taken = () =>
      appsError(
        AppsErrorCode.AppNameTaken,
        `App with the name '${input.name ?? ''}' already exists.`,
      );
    if (input.name !== undefined && input.name !== app.name) {
      if (await this.apps.findByNameInSpace(app.spaceGuid, input.name)) throw taken();
      app.name = input.name;
    }
    if (input.lifecycle) {
      app.lifecycleType = input.lifecycle.type;
      if (input.lifecycle.buildpacks) app.buildpacks = input.lifecycle.buildpacks;
      if (input.lifecycle.stack) app.stack = input.lifecycle.stack;
    }
    app.labels = mergeMetadata(app.labels, input.metadata?.labels);
    app.annotations = mergeMetadata(app.annotations, input.metadata?.annotations);
    try {
      // The change and its event commit together.
      return await this.jobs.transaction(async (tx) => {
        const saved = await this.apps.save(app, tx.manager);
        await this.audit.record(
          saved,
          'audit.app.update',
          input.actor,
          { request: { name: input.name, lifecycle: input.lifecycle } },
          tx.manager,
        );
        return saved;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw taken();
      if (!(await this.apps.findByGuidUnscoped(app.guid))) throw notFound('App');
      throw err;
    }
  }
}
