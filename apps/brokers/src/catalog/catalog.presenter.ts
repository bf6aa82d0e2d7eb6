import { speaks, type OsbVersion } from '../osb/osb-version';
import type { BrokerService } from './broker-catalog';

/**
 * The catalog as the caller's API version knows it: fields a version introduced are left out for
 * older callers (2.14: instances_retrievable, bindings_retrievable; 2.15: maximum_polling_duration
 * and the plan's plan_updateable).
 */
export class CatalogPresenter {
  present(services: readonly BrokerService[], version: OsbVersion): Record<string, unknown> {
    return {
      services: services.map((s) => ({
        id: s.id,
        name: s.name,
        description: s.description,
        bindable: true,
        tags: s.tags,
        plan_updateable: false,
        ...(speaks(version, 14) ? { instances_retrievable: true, bindings_retrievable: true } : {}),
        metadata: { displayName: s.displayName, providerDisplayName: 'Wharf' },
        plans: s.plans.map((p) => ({
          id: p.id,
          name: p.name,
          description: p.description,
          free: true,
          bindable: true,
          ...(speaks(version, 15) ? { plan_updateable: false } : {}),
          ...(speaks(version, 15) && s.maximumPollingDuration
            ? { maximum_polling_duration: s.maximumPollingDuration }
            : {}),
          metadata: { displayName: p.name },
        })),
      })),
    };
  }
}
