import { Inject, Injectable, Logger } from '@nestjs/common';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { BrokerEndpoints } from './broker-endpoints';
import { SecretBox } from '@wharf/platform/secrets';
import {
  BrokerContextBuilder,
  OperateJob,
  OperationJobs,
  pollingExpired,
  SpaceContext,
} from './broker-operation.support';
import { LastOperationColumns, OperationState } from './last-operation.columns';
import { BrokerEndpoint, OsbClient } from './osb/osb-client';
import { CreateOutcome, deleteOutcome, pollOutcome, sendOutcome } from './osb/osb-outcome';
import { PlanInCatalog } from './service-catalog-query.service';
import { ServiceCatalogRepository } from './service-catalog.repository';

/** A resource a broker operation is carried out on: it keeps the operation's last_operation. */
export interface Operated {
  readonly guid: string;
  readonly lastOperation: LastOperationColumns;
  /** The parameters a create or update carries to the broker, sealed until sent. */
  readonly pendingParametersSealed: string | null;
}

/**
 * Where the operation goes: the plan, its offering and broker, and the space and instance name of
 * the OSB context (and what else the adapter needs).
 */
export interface Located {
  readonly found: PlanInCatalog;
  readonly spaceGuid: string;
  readonly instanceName: string;
}

/** What the platform sends with every create or update: the OSB context and the parameters. */
export interface Sending {
  readonly context: SpaceContext;
  readonly parameters: Record<string, unknown> | undefined;
}

/**
 * What the machine needs to know of one kind of resource: how to load it and find its broker, what
 * to send, how to write its state, and what a success means for it. It says nothing of jobs,
 * polling or outcomes.
 */
export interface BrokerOperationAdapter<
  J extends OperateJob,
  S extends Operated,
  L extends Located,
> {
  /** Logs under the resource's own name. */
  readonly logger: Logger;
  /** The word for each operation in a user's messages; a create's also says how its answer reads. */
  readonly verbs: {
    readonly create: 'provision' | 'bind';
    readonly update: string;
    readonly delete: string;
  };
  /** A create whose polling runs out of time is orphan-mitigated too. */
  readonly mitigatesExpiredCreate: boolean;
  /** The failure when last_operation answers 410 Gone for a create or an update. */
  readonly goneDescription: string;
  load(payload: J['payload']): Promise<S | null>;
  /** Where the operation goes, or why it fails without being sent. */
  locate(subject: S): Promise<L | string>;
  /** The resource at the broker: operations are sent to it, polls go to its /last_operation. */
  path(subject: S): string;
  /** The body of a create (PUT) or an update (PATCH). */
  body(
    subject: S,
    at: L,
    type: 'create' | 'update',
    sending: Sending,
  ): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** What `subject` is, in a log line. */
  describe(subject: S, at: L): string;
  record(subject: S, operation: Partial<LastOperationColumns>): Promise<void>;
  remove(subject: S): Promise<void>;
  /** The broker answered the operation's request: the resource's own columns follow. */
  answered(subject: S, at: L, outcome: CreateOutcome): Promise<void>;
  /**
   * A polled create or update succeeded: what else the success takes. A description when it
   * cannot be completed after all (the create is then orphan-mitigated).
   */
  succeeded(subject: S, at: L, endpoint: BrokerEndpoint): Promise<string | null>;
  /** A polled operation failed: what the resource drops. */
  failed?(subject: S): Promise<void>;
  /** Queues the delete at the broker of what a create may have left there. */
  mitigate(subject: S, found: PlanInCatalog): Promise<void>;
}

/** One step of one operation: the job, what it operates on, where it goes and how. */
interface Step<J extends OperateJob, S extends Operated, L extends Located> {
  adapter: BrokerOperationAdapter<J, S, L>;
  job: J;
  subject: S;
  at: L;
}

/** A step before the resource has been located (or once it cannot be). */
type Unlocated<J extends OperateJob, S extends Operated, L extends Located> = Omit<
  Step<J, S, L>,
  'at'
>;

/**
 * One broker operation (OSB v2.17, always accepts_incomplete=true), followed to its end whatever
 * it is carried out on. Level-based on the resource's last_operation: `initial` sends the request,
 * `in progress` polls last_operation, anything else is done. A worker that dies mid-step runs the
 * step again: a repeated request is answered 200 by a conforming broker, and a repeated poll is
 * harmless. Each poll is a new job (poll n+1) delayed by the broker's Retry-After or a growing
 * interval, so no worker slot waits on a broker. The job goes PROCESSING → POLLING (on 202) →
 * COMPLETE, or FAILED with the broker's words; orphan mitigation follows the spec's table.
 */
@Injectable()
export class BrokerOperationMachine {
  private readonly logger = new Logger('OrphanMitigation');

  constructor(
    private readonly endpoints: BrokerEndpoints,
    private readonly osb: OsbClient,
    private readonly jobs: OperationJobs,
    private readonly contexts: BrokerContextBuilder,
    private readonly box: SecretBox,
    private readonly brokers: ServiceCatalogRepository,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  async run<J extends OperateJob, S extends Operated, L extends Located>(
    adapter: BrokerOperationAdapter<J, S, L>,
    job: J,
  ): Promise<void> {
    const subject = await adapter.load(job.payload);
    const op = subject?.lastOperation;
    // Gone, finished, or superseded by a newer operation: nothing left for this job.
    if (!subject || !op || (op.jobGuid && op.jobGuid !== job.payload.jobGuid)) {
      await this.jobs.complete(job.payload.jobGuid);
      return;
    }
    if (op.state !== 'initial' && op.state !== 'in progress') return;
    const at = await adapter.locate(subject);
    if (typeof at === 'string') await this.finish({ adapter, job, subject }, 'failed', at);
    else if (op.state === 'initial') await this.send({ adapter, job, subject, at });
    else await this.poll({ adapter, job, subject, at });
  }

  /**
   * Orphan mitigation (and any delete the platform must see through): DELETE `path` at the broker
   * until it answers 200 or 410, or 202 (the broker is deleting it and owns the rest). Anything
   * else throws, so the queue retries with backoff. `words` name what was deleted and why not.
   */
  async deleteOrphan(orphan: {
    brokerGuid: string;
    path: string;
    serviceId: string;
    planId: string;
    deleted: (broker: string) => string;
    notDeleted: (broker: string, description: string) => string;
  }): Promise<void> {
    const broker = await this.brokers.findBroker(orphan.brokerGuid);
    if (!broker) return;
    const res = await this.osb.call(this.endpoints.of(broker), {
      method: 'DELETE',
      path: orphan.path,
      query: { service_id: orphan.serviceId, plan_id: orphan.planId, accepts_incomplete: 'true' },
    });
    const outcome = deleteOutcome(res);
    if (outcome.kind === 'failed')
      throw new Error(orphan.notDeleted(broker.name, outcome.description));
    this.logger.log(orphan.deleted(broker.name));
  }

  private async send<J extends OperateJob, S extends Operated, L extends Located>(
    step: Step<J, S, L>,
  ): Promise<void> {
    const { adapter, subject, at, job } = step;
    const { plan, offering, broker } = at.found;
    const type = subject.lastOperation.type;
    const path = adapter.path(subject);
    const userGuid = await this.jobs.userOf(job.payload.jobGuid);
    const res = await this.osb.call(
      this.endpoints.of(broker),
      type === 'delete'
        ? {
            method: 'DELETE',
            path,
            userGuid,
            query: {
              accepts_incomplete: 'true',
              service_id: offering.catalogId,
              plan_id: plan.catalogId,
            },
          }
        : {
            method: type === 'create' ? 'PUT' : 'PATCH',
            path,
            query: { accepts_incomplete: 'true' },
            userGuid,
            body: await adapter.body(subject, at, type, await this.sending(subject, at)),
          },
    );
    const outcome = sendOutcome(type, res, adapter.verbs.create);
    await adapter.answered(subject, at, outcome);
    if (outcome.kind === 'done') {
      if (type === 'delete') await this.removed(step);
      else await this.finish(step, 'succeeded', null);
    } else if (outcome.kind === 'async') {
      const now = new Date();
      await adapter.record(subject, {
        state: 'in progress',
        brokerOperation: outcome.operation,
        startedAt: now,
        updatedAt: now,
      });
      await this.jobs.startPolling(job, outcome.retryAfterSeconds);
    } else {
      if (outcome.mitigate) await adapter.mitigate(subject, at.found);
      await this.finish(step, 'failed', outcome.description);
    }
  }

  private async poll<J extends OperateJob, S extends Operated, L extends Located>(
    step: Step<J, S, L>,
  ): Promise<void> {
    const { adapter, subject, at, job } = step;
    const { plan, offering, broker } = at.found;
    const op = subject.lastOperation;
    const verb = adapter.verbs[op.type];
    if (pollingExpired(op.startedAt, plan.maximumPollingDuration, this.config.osb.maxPollSeconds)) {
      if (op.type === 'create' && adapter.mitigatesExpiredCreate)
        await adapter.mitigate(subject, at.found);
      const description = `Service broker failed to ${verb} within the required time.`;
      await this.finish(step, 'failed', description);
      return;
    }
    const endpoint = this.endpoints.of(broker);
    const res = await this.osb.call(endpoint, {
      method: 'GET',
      path: `${adapter.path(subject)}/last_operation`,
      query: {
        service_id: offering.catalogId,
        plan_id: plan.catalogId,
        operation: op.brokerOperation ?? undefined,
      },
    });
    const outcome = pollOutcome(res);
    switch (outcome.kind) {
      case 'succeeded': {
        if (op.type === 'delete') {
          await this.removed(step);
          return;
        }
        const failure = await adapter.succeeded(subject, at, endpoint);
        if (failure === null) {
          await this.finish(step, 'succeeded', outcome.description);
          return;
        }
        await adapter.mitigate(subject, at.found);
        await this.finish(step, 'failed', failure);
        return;
      }
      case 'failed':
        await adapter.failed?.(subject);
        await this.finish(
          step,
          'failed',
          outcome.description ?? `The service broker reported that the ${verb} failed.`,
        );
        return;
      case 'gone':
        if (op.type === 'delete') await this.removed(step);
        else await this.finish(step, 'failed', adapter.goneDescription);
        return;
      case 'in progress':
        await adapter.record(subject, { description: outcome.description, updatedAt: new Date() });
        await this.jobs.pollAgain(job, outcome.retryAfterSeconds);
        return;
      case 'retry':
        adapter.logger.warn(`polling ${adapter.describe(subject, at)}: ${outcome.reason}`);
        await this.jobs.pollAgain(job, outcome.retryAfterSeconds);
        return;
    }
  }

  private async sending(subject: Operated, at: Located): Promise<Sending> {
    const parameters = subject.pendingParametersSealed
      ? this.box.openJson<Record<string, unknown>>(subject.pendingParametersSealed)
      : undefined;
    return { context: await this.contexts.forSpace(at.spaceGuid, at.instanceName), parameters };
  }

  /** The operation's end: a failure is thrown, which fails the job (see OperationJobs.failure). */
  private async finish<J extends OperateJob, S extends Operated, L extends Located>(
    { adapter, subject, job }: Unlocated<J, S, L>,
    state: Extract<OperationState, 'succeeded' | 'failed'>,
    description: string | null,
  ): Promise<void> {
    const type = subject.lastOperation.type;
    await adapter.record(subject, { state, description, updatedAt: new Date() });
    if (state === 'succeeded') {
      await this.jobs.complete(job.payload.jobGuid);
      return;
    }
    throw this.jobs.failure(adapter.verbs[type], description);
  }

  private async removed<J extends OperateJob, S extends Operated, L extends Located>({
    adapter,
    subject,
    job,
  }: Unlocated<J, S, L>): Promise<void> {
    await adapter.remove(subject);
    await this.jobs.complete(job.payload.jobGuid);
  }
}
