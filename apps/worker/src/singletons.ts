import { QueueWorkerModule } from '@wharf/platform/queue';
import { RoutingWorkerModule } from '@wharf/routing';
import { SchedulingWorkerModule } from '@wharf/scheduling';

/**
 * What the worker runs besides jobs: loops and listeners that start with the process. They are
 * implemented in their context (or the platform); this is where the worker composes them.
 */
export const SINGLETON_MODULES = [
  // JobWorkerHost: a BullMQ worker per queue, dispatching to the handlers of ./jobs.ts (every worker).
  // JobOutboxRelay: every second, pushes job_outbox rows left unpushed for more than a second
  // (every worker; rows are taken FOR UPDATE SKIP LOCKED).
  QueueWorkerModule,
  // SchedulerLeader: one worker at a time, under the scheduler lease. While it leads it runs the
  // CellEventWatcher (engine events: crashes), the HealthMonitor (health checks of STARTING and
  // RUNNING instances), the LogForwarder (app output to the log store) and the convergence sweep
  // (every app that is started or has instances, then unused space networks).
  SchedulingWorkerModule,
  // RouterSync: one worker at a time, under the router lease: HAProxy's configuration and the
  // apps.internal hosts file from the routes and RUNNING instances.
  // RouterAccessLogReceiver: the worker that binds the UDP port turns HAProxy's access log into
  // [RTR] lines; the others retry the bind.
  RoutingWorkerModule,
];
