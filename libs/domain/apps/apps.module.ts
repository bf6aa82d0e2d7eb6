import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@wharf/identity';
import { AppApiLog } from './app-api-log';
import { AppQuotaCheck } from './app-quota.check';
import { AppAudit } from './app-audit';
import { AppConvergeTrigger } from './app-converge.trigger';
import { AppCreateAction } from './app-create.action';
import { AppCurrentDropletSetAction } from './app-current-droplet-set.action';
import { AppStartAction } from './app-start.action';
import { ManifestApplyAction } from './manifest-apply.action';
import { AppStopAction } from './app-stop.action';
import { AppDeleteAction } from './app-delete.action';
import { AppDeletion } from './app-deletion';
import { AppEnvironmentUpdateAction } from './app-environment-update.action';
import { AppSpaceContentsCounter } from './app-space-contents.counter';
import { AppUpdateAction } from './app-update.action';
import { AppRepository } from './app.repository';
import { APPS_ENTITIES } from './apps.entities';
import { AppsQueryService } from './apps-query.service';
import { AppEnvironmentService } from './app-environment.service';
import { ProcessScaleAction } from './process-scale.action';
import { ProcessUpdateAction } from './process-update.action';
import { ProcessRepository } from './process.repository';
import { ProcessesQueryService } from './processes-query.service';
import { AppEnvironmentSealer } from './app-environment.sealer';
import { AppFeatureUpdateAction } from './app-feature-update.action';
import { AppRevisionRecorder } from './app-revision.recorder';
import { RevisionRepository } from './revision.repository';
import { RevisionsQueryService } from './revisions-query.service';
import { RevisionUpdateAction } from './revision-update.action';
import { AppLaunchTargets } from './app-launch-target';
import { AppDropletsInUse } from './app-droplets-in-use';
import { DeploymentCanceler } from './deployment-canceler';
import { DeploymentCancelAction } from './deployment-cancel.action';
import { DeploymentContinueAction } from './deployment-continue.action';
import { DeploymentCreateAction } from './deployment-create.action';
import { DeploymentProgressAction } from './deployment-progress.action';
import { DeploymentRepository } from './deployment.repository';
import { DeploymentsQueryService } from './deployments-query.service';
import { DeploymentUpdateAction } from './deployment-update.action';
import { TaskCancelAction } from './task-cancel.action';
import { TaskCreateAction } from './task-create.action';
import { TaskRepository } from './task.repository';
import { TaskStateRecorder } from './task-state.recorder';
import { TasksQueryService } from './tasks-query.service';
import { TaskUpdateAction } from './task-update.action';

const actions = [
  AppCreateAction,
  AppUpdateAction,
  AppDeleteAction,
  AppEnvironmentUpdateAction,
  AppStartAction,
  AppStopAction,
  AppCurrentDropletSetAction,
  ManifestApplyAction,
  ProcessScaleAction,
  ProcessUpdateAction,
  AppFeatureUpdateAction,
  RevisionUpdateAction,
  DeploymentCreateAction,
  DeploymentCancelAction,
  DeploymentContinueAction,
  DeploymentUpdateAction,
  DeploymentProgressAction,
  TaskCreateAction,
  TaskCancelAction,
  TaskUpdateAction,
];

/**
 * Apps: desired state of what users push, the revisions it started from, the
 * deployments that roll it out and the tasks run on its droplets. Used by api, worker
 * and admin; wherever it is composed, `APP_PACKAGES` comes from `PackagesModule` and
 * `APP_DROPLETS` (optional: revisions then read as not deployable) from staging.
 */
@Module({
  imports: [TypeOrmModule.forFeature(APPS_ENTITIES), IdentityModule],
  providers: [
    AppEnvironmentSealer,
    AppRepository,
    ProcessRepository,
    RevisionRepository,
    RevisionsQueryService,
    DeploymentRepository,
    DeploymentsQueryService,
    DeploymentCanceler,
    TaskRepository,
    TasksQueryService,
    TaskStateRecorder,
    AppLaunchTargets,
    AppDropletsInUse,
    AppRevisionRecorder,
    ProcessesQueryService,
    AppsQueryService,
    AppEnvironmentService,
    AppSpaceContentsCounter,
    AppConvergeTrigger,
    AppApiLog,
    AppAudit,
    AppQuotaCheck,
    AppDeletion,
    ...actions,
  ],
  exports: [
    AppsQueryService,
    RevisionsQueryService,
    DeploymentsQueryService,
    TasksQueryService,
    TaskStateRecorder,
    AppLaunchTargets,
    AppDropletsInUse,
    ProcessesQueryService,
    AppEnvironmentService,
    AppConvergeTrigger,
    AppAudit,
    AppDeletion,
    ...actions,
  ],
})
export class AppsModule {}
