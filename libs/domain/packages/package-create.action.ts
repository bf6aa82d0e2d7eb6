import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AuditActor } from '@wharf/events';
import type { Visibility } from '@wharf/access';
import { AppAudit, AppsQueryService } from '@wharf/apps';
import { DomainError } from '@wharf/platform/errors';
import { PackagesErrorCode, packagesError } from './packages.errors';
import { PackageEntity } from './package.entity';
import { PackageRepository } from './package.repository';

@Injectable()
export class PackageCreateAction {
  constructor(
    private readonly packages: PackageRepository,
    private readonly apps: AppsQueryService,
    private readonly audit: AppAudit,
  ) {}

  async execute(input: {
    scope: Visibility;
    appGuid: string;
    actor?: AuditActor;
  }): Promise<PackageEntity> {
    const app = await this.apps.getAppToChange(input.scope, input.appGuid).catch((err: unknown) => {
      if (err instanceof DomainError && err.kind === 'not_found') {
        throw packagesError(
          PackagesErrorCode.InvalidApp,
          'Invalid app. Ensure that the app exists and you have access to it.',
        );
      }
      throw err;
    });
    const pkg = await this.packages.save(
      this.packages.create({
        guid: randomUUID(),
        appGuid: app.guid,
        type: 'bits',
        state: 'AWAITING_UPLOAD',
        checksumSha256: null,
        archiveFormat: null,
        sizeBytes: null,
        error: null,
      }),
    );
    await this.audit.record(app, 'audit.app.package.create', input.actor, {
      package_guid: pkg.guid,
      request: { type: 'bits' },
    });
    return pkg;
  }
}
