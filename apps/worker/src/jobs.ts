import { AppsJobsModule } from './apps/apps-jobs.module';
import { IdentityJobsModule } from './identity/identity-jobs.module';
import { RoutingJobsModule } from './routing/routing-jobs.module';
import { SchedulingJobsModule } from './scheduling/scheduling-jobs.module';
import { ServicesJobsModule } from './services/services-jobs.module';
import { StagingJobsModule } from './staging/staging-jobs.module';

/**
 * Every job's handler, by context: `<context>/<job>.handler.ts` checks the payload (a bad one is a
 * BullMQ UnrecoverableError) and calls the context's use case. `JobWorkerHost` refuses to boot
 * unless each job name has exactly one handler, and turns a DomainError into a failure that is
 * not retried, recorded on the job's /v3/jobs row; any other error is retried.
 */
export const JOB_MODULES = [
  // organization.delete, space.delete, role.delete, user.delete
  IdentityJobsModule,
  // app.delete
  AppsJobsModule,
  // build.stage, app.staging_purge
  StagingJobsModule,
  // app.converge, task.converge
  SchedulingJobsModule,
  // app.routing_purge
  RoutingJobsModule,
  // service_broker.sync, service_broker.delete, service_instance.operate,
  // service_binding.operate, service_instance.orphan_mitigate, service_binding.orphan_mitigate,
  // app.services_purge
  ServicesJobsModule,
];
