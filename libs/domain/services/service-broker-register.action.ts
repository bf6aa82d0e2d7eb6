import { Injectable } from '@nestjs/common';
import { PLATFORM_VISIBILITY } from '@wharf/access';
import { JobRecordRepository } from '@wharf/platform/queue';
import { PlanVisibilityUpdateAction } from './plan-visibility.action';
import { ServiceBrokerCreateAction, ServiceBrokerUpdateAction } from './service-broker.actions';
import { ServiceCatalogQueryService } from './service-catalog-query.service';
import { ServiceCatalogRepository } from './service-catalog.repository';

const ALL = { page: 1, perPage: 5000, orderBy: 'createdAt', direction: 'ASC' as const };

/**
 * The operator's registration of a broker (`wharf-admin register-broker`, run by `npm run up` for
 * the built-in brokers): creates it or updates its url and credentials, waits for the worker to
 * fetch the catalog, and on first registration optionally makes every plan public. Running it
 * again refreshes the catalog and keeps the plans' access as the operator left it.
 */
@Injectable()
export class ServiceBrokerRegisterAction {
  constructor(
    private readonly repo: ServiceCatalogRepository,
    private readonly create: ServiceBrokerCreateAction,
    private readonly update: ServiceBrokerUpdateAction,
    private readonly catalog: ServiceCatalogQueryService,
    private readonly visibility: PlanVisibilityUpdateAction,
    private readonly jobs: JobRecordRepository,
  ) {}

  async execute(input: {
    name: string;
    url: string;
    username: string;
    password: string;
    makePublic: boolean;
    timeoutMs?: number;
  }): Promise<{ created: boolean; offerings: string[] }> {
    const existing = await this.repo.findBrokerByName(input.name);
    const fields = { url: input.url, username: input.username, password: input.password };
    const { broker, jobGuid } = existing
      ? await this.update.execute({
          scope: PLATFORM_VISIBILITY,
          userGuid: null,
          guid: existing.guid,
          fields,
        })
      : await this.create.execute({
          scope: PLATFORM_VISIBILITY,
          userGuid: null,
          fields: { ...fields, name: input.name },
        });
    if (jobGuid) await this.waitFor(jobGuid, input.timeoutMs ?? 60_000);
    const offerings = await this.catalog.listOfferings(
      PLATFORM_VISIBILITY,
      { brokerGuids: [broker.guid] },
      ALL,
    );
    // Only on first registration: an operator's later access choices are kept.
    if (input.makePublic && !existing) {
      const plans = await this.catalog.listPlans(
        PLATFORM_VISIBILITY,
        { brokerGuids: [broker.guid] },
        ALL,
      );
      for (const plan of plans.items.filter((p) => !p.public))
        await this.visibility.execute({
          scope: PLATFORM_VISIBILITY,
          planGuid: plan.guid,
          type: 'public',
          organizationGuids: [],
          mode: 'replace',
        });
    }
    return { created: !existing, offerings: offerings.items.map((o) => o.name) };
  }

  private async waitFor(jobGuid: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await this.jobs.findByGuidUnscoped(jobGuid);
      if (job?.state === 'COMPLETE') return;
      if (job?.state === 'FAILED')
        throw new Error(job.errors[0]?.detail ?? 'fetching the catalog failed');
      if (Date.now() > deadline)
        throw new Error(
          `the worker did not fetch the catalog within ${timeoutMs / 1000} s (is it running?)`,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
