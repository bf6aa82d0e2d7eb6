import { Injectable } from '@nestjs/common';
import type {
  CredentialBindingResource,
  LastOperation,
  ServiceInstanceResource,
} from '@wharf/contracts';
import type { ServiceCredentialBindingEntity, ServiceInstanceEntity } from '@wharf/services';
import { ApiUrl } from '../common/api-url';
import { iso } from '../common/list.presenter';

/** The operation a managed instance or binding records; user-provided ones always succeeded. */
const recorded = (e: {
  lastOperation: {
    type: LastOperation['type'];
    state: LastOperation['state'];
    description: string | null;
    startedAt: Date;
    updatedAt: Date;
  };
}): LastOperation => ({
  type: e.lastOperation.type,
  state: e.lastOperation.state,
  description: e.lastOperation.description,
  created_at: iso(e.lastOperation.startedAt),
  updated_at: iso(e.lastOperation.updatedAt),
});

/** User-provided instances and their bindings change synchronously: their operation succeeded. */
const succeeded = (
  type: LastOperation['type'],
  e: { createdAt: Date; updatedAt: Date },
): LastOperation => ({
  type,
  state: 'succeeded',
  description: 'Operation succeeded',
  created_at: iso(e.createdAt),
  updated_at: iso(e.updatedAt),
});

@Injectable()
export class ServicePresenter {
  constructor(private readonly url: ApiUrl) {}

  instance(i: ServiceInstanceEntity): ServiceInstanceResource {
    const self = this.url.to(`/v3/service_instances/${i.guid}`);
    return {
      guid: i.guid,
      created_at: iso(i.createdAt),
      updated_at: iso(i.updatedAt),
      name: i.name,
      tags: i.tags,
      type: i.type,
      syslog_drain_url: i.syslogDrainUrl,
      route_service_url: i.routeServiceUrl,
      last_operation:
        i.type === 'managed'
          ? recorded(i)
          : succeeded(i.updatedAt > i.createdAt ? 'update' : 'create', i),
      ...(i.type === 'managed'
        ? { dashboard_url: i.dashboardUrl, maintenance_info: {}, upgrade_available: false }
        : {}),
      relationships: {
        space: { data: { guid: i.spaceGuid } },
        ...(i.servicePlanGuid ? { service_plan: { data: { guid: i.servicePlanGuid } } } : {}),
      },
      metadata: { labels: i.labels, annotations: i.annotations },
      links: {
        self: { href: self },
        space: { href: this.url.to(`/v3/spaces/${i.spaceGuid}`) },
        service_credential_bindings: {
          href: this.url.to(`/v3/service_credential_bindings?service_instance_guids=${i.guid}`),
        },
        ...(i.type === 'user-provided' ? { credentials: { href: `${self}/credentials` } } : {}),
        ...(i.servicePlanGuid
          ? { service_plan: { href: this.url.to(`/v3/service_plans/${i.servicePlanGuid}`) } }
          : {}),
      },
    };
  }

  /** `managed`: whether the binding's instance is managed (its operation is the broker's). */
  binding(b: ServiceCredentialBindingEntity, managed = false): CredentialBindingResource {
    const self = this.url.to(`/v3/service_credential_bindings/${b.guid}`);
    return {
      guid: b.guid,
      created_at: iso(b.createdAt),
      updated_at: iso(b.updatedAt),
      name: b.name,
      type: b.type,
      last_operation: managed ? recorded(b) : succeeded('create', b),
      relationships: {
        ...(b.appGuid ? { app: { data: { guid: b.appGuid } } } : {}),
        service_instance: { data: { guid: b.serviceInstanceGuid } },
      },
      metadata: { labels: b.labels, annotations: b.annotations },
      links: {
        self: { href: self },
        details: { href: `${self}/details` },
        service_instance: {
          href: this.url.to(`/v3/service_instances/${b.serviceInstanceGuid}`),
        },
        ...(b.appGuid ? { app: { href: this.url.to(`/v3/apps/${b.appGuid}`) } } : {}),
      },
    };
  }
}
