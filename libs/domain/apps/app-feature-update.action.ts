import type { AuditActor } from '@wharf/events';
import { Injectable } from '@nestjs/common';
import { Visibility } from '@wharf/access';
import { notFound } from '@wharf/platform/errors';
import { AppAudit } from './app-audit';
import { AppEntity } from './app.entity';
import { AppRepository } from './app.repository';
import { AppsQueryService } from './apps-query.service';

/** CF's app features that Wharf has (ssh arrives with the ssh proxy). */
export const APP_FEATURES = {
  revisions: 'Enable versioning of an application',
} as const;
export type AppFeatureName = keyof typeof APP_FEATURES;

export const isAppFeature = (name: string): name is AppFeatureName =>
  Object.prototype.hasOwnProperty.call(APP_FEATURES, name);

export function appFeatures(app: AppEntity): { name: AppFeatureName; enabled: boolean }[] {
  return [{ name: 'revisions', enabled: app.revisionsEnabled }];
}

/** Turns an app feature on or off (PATCH /v3/apps/:guid/features/:name). */
@Injectable()
export class AppFeatureUpdateAction {
  constructor(
    private readonly apps: AppRepository,
    private readonly query: AppsQueryService,
    private readonly audit: AppAudit,
  ) {}

  async execute(input: {
    scope: Visibility;
    appGuid: string;
    name: string;
    enabled: boolean;
    actor?: AuditActor;
  }): Promise<AppEntity> {
    if (!isAppFeature(input.name)) throw notFound('Feature');
    const app = await this.query.getAppToChange(input.scope, input.appGuid);
    if (app.revisionsEnabled === input.enabled) return app;
    app.revisionsEnabled = input.enabled;
    const saved = await this.apps.save(app);
    await this.audit.record(saved, 'audit.app.update', input.actor, {
      request: { features: { [input.name]: input.enabled } },
    });
    return saved;
  }
}
