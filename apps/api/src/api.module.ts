import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppsModule } from '@wharf/apps';
import { IdentityModule, SpaceContentsModule } from '@wharf/identity';
import { ConfigModule, WharfConfig } from '@wharf/platform/config';
import { DatabaseModule } from '@wharf/platform/db';
import { QueueModule } from '@wharf/platform/queue';
import { RuntimeModule } from '@wharf/platform/runtime';
import { AppsController } from './apps/apps.controller';
import { AppPresenter } from './apps/app.presenter';
import { ApiUrl } from './common/api-url';
import { AuthGuard } from './common/auth.guard';
import { HealthController } from './health/health.controller';
import { HealthService } from './health/health.service';
import { JobsController } from './jobs/jobs.controller';
import { OAuthController } from './oauth/oauth.controller';
import { OrganizationPresenter } from './organizations/organization.presenter';
import { OrganizationsController } from './organizations/organizations.controller';
import { RootController } from './root/root.controller';
import { SpacePresenter } from './spaces/space.presenter';
import { SpacesController } from './spaces/spaces.controller';

@Module({})
export class ApiModule {
  static forRoot(config?: WharfConfig) {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        QueueModule,
        RuntimeModule,
        SpaceContentsModule,
        IdentityModule,
        AppsModule,
      ],
      controllers: [
        RootController,
        HealthController,
        OAuthController,
        OrganizationsController,
        SpacesController,
        JobsController,
        AppsController,
      ],
      providers: [
        ApiUrl,
        HealthService,
        OrganizationPresenter,
        SpacePresenter,
        AppPresenter,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }
}
