export * from './apps.module';
export * from './apps.errors';
export * from './apps-query.service';
export * from './app-create.action';
export * from './app-update.action';
export * from './app-delete.action';
export * from './app-deletion';
export * from './app-environment-update.action';
export type { AppEntity, AppState, LifecycleType } from './app.entity';
export { APPS_ENTITIES } from './apps.entities';
export * from './manifest';
export { parseMegabytes } from '@wharf/contracts';
export * from './app-environment.service';
export * from './vcap-application';
export * from './processes-query.service';
export * from './process-scale.action';
export * from './process-update.action';
export * from './process-defaults';
export type { ProcessEntity } from './process.entity';
export * from './app-start.action';
export * from './app-stop.action';
export * from './app-current-droplet-set.action';
export * from './app-converge.trigger';
export { AppAudit } from './app-audit';
export * from './manifest-apply.action';
export * from './app-route-uris.port';
export * from './app-packages.port';
export * from './app-service-bindings.port';
export { AppEnvironmentSealer } from './app-environment.sealer';
export * from './app-droplets.port';
export * from './revisions-query.service';
export * from './revision-update.action';
export * from './app-feature-update.action';
export type { RevisionEntity } from './revision.entity';
export * from './deployment-rollout';
export * from './deployments-query.service';
export * from './deployment-create.action';
export * from './deployment-cancel.action';
export * from './deployment-continue.action';
export * from './deployment-update.action';
export * from './deployment-progress.action';
export type {
  DeploymentEntity,
  DeploymentStatusReason,
  DeploymentStatusValue,
  DeploymentStrategy,
} from './deployment.entity';
export { DEPLOYMENT_STRATEGIES } from './deployment.entity';
export * from './app-launch-target';
export * from './app-droplets-in-use';
export * from './tasks-query.service';
export * from './task-create.action';
export * from './task-cancel.action';
export * from './task-update.action';
export * from './task-state.recorder';
export type { TaskEntity, TaskState } from './task.entity';
export { ACTIVE_TASK_STATES, TASK_STATES, TERMINAL_TASK_STATES } from './task.entity';
export type { TaskFilter } from './task.repository';
