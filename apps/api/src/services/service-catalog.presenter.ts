import { Injectable } from '@nestjs/common';
import type {
  ServiceBrokerResource,
  ServiceOfferingResource,
  ServicePlanResource,
} from '@wharf/contracts';
import type {
  ServiceBrokerEntity,
  ServiceOfferingEntity,
  ServicePlanEntity,
} from '@wharf/services';
import { ApiUrl } from '../common/api-url';
import { iso } from '../common/list.presenter';

const EMPTY = { parameters: {} };

/** Service brokers, offerings and plans in CF v3's shapes; the broker's password never. */
@Injectable()
export class ServiceCatalogPresenter {
  constructor(private readonly url: ApiUrl) {}

  broker(b: ServiceBrokerEntity): ServiceBrokerResource {
    return {
      guid: b.guid,
      created_at: iso(b.createdAt),
      updated_at: iso(b.updatedAt),
      name: b.name,
      url: b.url,
      relationships: {},
      metadata: { labels: b.labels, annotations: b.annotations },
      links: {
        self: { href: this.url.to(`/v3/service_brokers/${b.guid}`) },
        service_offerings: {
          href: this.url.to(`/v3/service_offerings?service_broker_guids=${b.guid}`),
        },
      },
    };
  }

  offering(o: ServiceOfferingEntity): ServiceOfferingResource {
    return {
      guid: o.guid,
      created_at: iso(o.createdAt),
      updated_at: iso(o.updatedAt),
      name: o.name,
      description: o.description,
      available: o.available,
      tags: o.tags,
      requires: o.requires,
      shareable: o.shareable,
      documentation_url: o.documentationUrl,
      broker_catalog: {
        id: o.catalogId,
        metadata: o.catalogMetadata,
        features: {
          plan_updateable: o.planUpdateable,
          bindable: o.bindable,
          instances_retrievable: o.instancesRetrievable,
          bindings_retrievable: o.bindingsRetrievable,
          allow_context_updates: o.allowContextUpdates,
        },
      },
      relationships: { service_broker: { data: { guid: o.brokerGuid } } },
      metadata: { labels: o.labels, annotations: o.annotations },
      links: {
        self: { href: this.url.to(`/v3/service_offerings/${o.guid}`) },
        service_plans: { href: this.url.to(`/v3/service_plans?service_offering_guids=${o.guid}`) },
        service_broker: { href: this.url.to(`/v3/service_brokers/${o.brokerGuid}`) },
      },
    };
  }

  /** `offering`: the plan's offering, for the features a plan inherits when it does not say. */
  plan(
    p: ServicePlanEntity,
    offering: ServiceOfferingEntity | undefined,
    visibilityType: ServicePlanResource['visibility_type'],
  ): ServicePlanResource {
    return {
      guid: p.guid,
      created_at: iso(p.createdAt),
      updated_at: iso(p.updatedAt),
      name: p.name,
      description: p.description,
      visibility_type: visibilityType,
      available: p.available,
      free: p.free,
      costs: p.costs,
      maintenance_info: p.maintenanceInfo ?? {},
      broker_catalog: {
        id: p.catalogId,
        metadata: p.catalogMetadata,
        maximum_polling_duration: p.maximumPollingDuration,
        features: {
          plan_updateable: p.planUpdateable ?? offering?.planUpdateable ?? false,
          bindable: p.bindable ?? offering?.bindable ?? false,
        },
      },
      schemas: {
        service_instance: {
          create: p.schemas.service_instance?.create ?? EMPTY,
          update: p.schemas.service_instance?.update ?? EMPTY,
        },
        service_binding: { create: p.schemas.service_binding?.create ?? EMPTY },
      },
      relationships: { service_offering: { data: { guid: p.offeringGuid } } },
      metadata: { labels: p.labels, annotations: p.annotations },
      links: {
        self: { href: this.url.to(`/v3/service_plans/${p.guid}`) },
        service_offering: { href: this.url.to(`/v3/service_offerings/${p.offeringGuid}`) },
        visibility: { href: this.url.to(`/v3/service_plans/${p.guid}/visibility`) },
      },
    };
  }
}
