import { RoutingModule } from '@wharf/routing';
import { ServicesModule } from '@wharf/services';
import { SecretsModule } from '@wharf/platform/secrets';
import { EventsModule } from '@wharf/events';
import { Module } from '@nestjs/common';
import { RolePresenter } from './roles/role.presenter';
import { RolesController } from './roles/roles.controller';
import { UsersController } from './users/users.controller';
import { APP_GUARD } from '@nestjs/core';
import { MulterModule } from '@nestjs/platform-express';
import { resolve } from 'node:path';
import { AppsModule } from '@wharf/apps';
import { PackagesModule } from '@wharf/packages';
import { CellsModule } from '@wharf/cells';
import { SchedulingModule } from '@wharf/scheduling';
import { StagingModule } from '@wharf/staging';
import { BuildPresenter } from './builds/build.presenter';
import { BuildsController } from './builds/builds.controller';
import { DropletPresenter } from './droplets/droplet.presenter';
import { DropletsController } from './droplets/droplets.controller';
import { AuditEventsController } from './audit-events/audit-events.controller';
import { RoutePresenter } from './routes/route.presenter';
import { RoutesController } from './routes/routes.controller';
import { UaaUsersController } from './oauth/uaa-users.controller';
import { ServiceCatalogController } from './services/service-catalog.controller';
import { ServiceCatalogPresenter } from './services/service-catalog.presenter';
import { ServicePresenter } from './services/service.presenter';
import { ServicesController } from './services/services.controller';
import { LogCacheController } from './logs/log-cache.controller';
import { ManifestsController } from './manifests/manifests.controller';
import { ResourceMatchesController } from './packages/resource-matches.controller';
import { IdentityModule, SpaceContentsModule } from '@wharf/identity';
import { BlobstoreModule } from '@wharf/platform/blobstore';
import { LogStreamModule } from '@wharf/platform/logstream';
import { ConfigModule, WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { DatabaseModule } from '@wharf/platform/db';
import { RedisModule } from '@wharf/platform/redis';
import { QueueModule } from '@wharf/platform/queue';
import { RuntimeModule } from '@wharf/platform/runtime';
import { AppsController } from './apps/apps.controller';
import { AppPresenter } from './apps/app.presenter';
import { BuildpacksController } from './buildpacks/buildpacks.controller';
import { ApiUrl } from './common/api-url';
import { ProcessPresenter } from './processes/process.presenter';
import { AppFeaturesController } from './apps/app-features.controller';
import { RevisionPresenter } from './revisions/revision.presenter';
import { RevisionsController } from './revisions/revisions.controller';
import { DeploymentsController } from './deployments/deployments.controller';
import { TasksController } from './tasks/tasks.controller';
import { TaskPresenter } from './tasks/task.presenter';
import { DeploymentPresenter } from './deployments/deployment.presenter';
import { ProcessesController } from './processes/processes.controller';
import { PackagePresenter } from './packages/package.presenter';
import { UploadSlots } from './packages/upload-slots';
import { PackagesController } from './packages/packages.controller';
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
import { OrganizationQuotasController } from './quotas/organization-quotas.controller';
import { QuotaPresenter } from './quotas/quota.presenter';
import { SpaceQuotasController } from './quotas/space-quotas.controller';

@Module({})
export class ApiModule {
  static forRoot(config?: WharfConfig) {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        RedisModule,
        DatabaseModule,
        QueueModule,
        RuntimeModule,
        BlobstoreModule,
        LogStreamModule,
        SecretsModule,
        SpaceContentsModule,
        IdentityModule,
        EventsModule.forRoot(IdentityModule),
        AppsModule,
        PackagesModule,
        StagingModule,
        CellsModule,
        SchedulingModule,
        RoutingModule,
        ServicesModule,
        MulterModule.registerAsync({
          inject: [WHARF_CONFIG],
          // Uploads stream to the blobstore's scratch space and stop at the size limit.
          useFactory: (c: WharfConfig) => ({
            dest: resolve(c.stateDir, 'blobs', '.scratch'),
            limits: { fileSize: c.maxPackageBytes, files: 1, fields: 20 },
          }),
        }),
      ],
      controllers: [
        RootController,
        HealthController,
        OAuthController,
        OrganizationsController,
        SpacesController,
        JobsController,
        AppsController,
        PackagesController,
        BuildpacksController,
        ProcessesController,
        RevisionsController,
        DeploymentsController,
        TasksController,
        AppFeaturesController,
        BuildsController,
        DropletsController,
        ManifestsController,
        ResourceMatchesController,
        LogCacheController,
        AuditEventsController,
        RoutesController,
        ServicesController,
        ServiceCatalogController,
        UaaUsersController,
        RolesController,
        UsersController,
        OrganizationQuotasController,
        SpaceQuotasController,
      ],
      providers: [
        ApiUrl,
        HealthService,
        OrganizationPresenter,
        SpacePresenter,
        AppPresenter,
        PackagePresenter,
        UploadSlots,
        ProcessPresenter,
        RevisionPresenter,
        DeploymentPresenter,
        TaskPresenter,
        BuildPresenter,
        DropletPresenter,
        RoutePresenter,
        ServicePresenter,
        ServiceCatalogPresenter,
        RolePresenter,
        QuotaPresenter,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }
}
