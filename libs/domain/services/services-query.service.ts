import { Injectable } from '@nestjs/common';
import { requireDeveloper, Visibility } from '@wharf/access';
import { IdentityQueryService } from '@wharf/identity';
import { Page, PageRequest } from '@wharf/platform/db';
import { notFound } from '@wharf/platform/errors';
import { SecretBox } from '@wharf/platform/secrets';
import { ServiceCredentialBindingEntity } from './service-credential-binding.entity';
import { ServiceInstanceEntity } from './service-instance.entity';
import {
  BindingFilter,
  InstanceFilter,
  ServiceInstanceRepository,
} from './service-instance.repository';

/** Reads of service instances and bindings: visible with their space. */
@Injectable()
export class ServicesQueryService {
  constructor(
    private readonly repo: ServiceInstanceRepository,
    private readonly identity: IdentityQueryService,
    private readonly box: SecretBox,
  ) {}

  async listInstances(
    scope: Visibility,
    filter: Omit<InstanceFilter, 'spaceGuids'> & { spaceGuids?: string[] },
    page: PageRequest,
  ): Promise<Page<ServiceInstanceEntity>> {
    return this.repo.listPage(
      { ...filter, spaceGuids: await this.spaces(scope, filter.spaceGuids) },
      page,
    );
  }

  async getInstance(scope: Visibility, guid: string): Promise<ServiceInstanceEntity> {
    const instance = await this.repo.findByGuid(guid);
    const spaces = await this.identity.visibleSpaceGuids(scope);
    if (!instance || (spaces !== 'all' && !spaces.includes(instance.spaceGuid)))
      throw notFound('Service instance');
    return instance;
  }

  /** For a change: visible (else 404) and in a space where the caller develops (else 403). */
  async getInstanceToChange(scope: Visibility, guid: string): Promise<ServiceInstanceEntity> {
    const instance = await this.getInstance(scope, guid);
    requireDeveloper(scope, instance.spaceGuid);
    return instance;
  }

  /** A user-provided instance's credentials (GET /v3/service_instances/:guid/credentials). */
  async credentials(scope: Visibility, guid: string): Promise<Record<string, unknown>> {
    // Credentials are secrets: space developers (and admins) only.
    const instance = await this.getInstanceToChange(scope, guid);
    if (instance.type !== 'user-provided') throw notFound('Service instance');
    return this.openCredentials(instance.credentialsSealed);
  }

  async listBindings(
    scope: Visibility,
    filter: Omit<BindingFilter, 'spaceGuids'>,
    page: PageRequest,
  ): Promise<Page<ServiceCredentialBindingEntity>> {
    return this.repo.listBindingsPage({ ...filter, spaceGuids: await this.spaces(scope) }, page);
  }

  async getBinding(scope: Visibility, guid: string): Promise<ServiceCredentialBindingEntity> {
    const binding = await this.repo.findBinding(guid);
    if (!binding) throw notFound('Service credential binding');
    await this.getInstance(scope, binding.serviceInstanceGuid).catch(() => {
      throw notFound('Service credential binding');
    });
    return binding;
  }

  /** GET /v3/service_credential_bindings/:guid/details. */
  async bindingDetails(
    scope: Visibility,
    guid: string,
  ): Promise<{
    credentials: Record<string, unknown>;
    syslog_drain_url: string | null;
    volume_mounts: [];
  }> {
    const binding = await this.getBinding(scope, guid);
    // Credentials are secrets: space developers (and admins) only.
    await this.getInstanceToChange(scope, binding.serviceInstanceGuid);
    const instance = await this.getInstance(scope, binding.serviceInstanceGuid);
    return {
      credentials: this.openCredentials(binding.credentialsSealed ?? instance.credentialsSealed),
      syslog_drain_url: instance.syslogDrainUrl,
      volume_mounts: [],
    };
  }

  /** Instances by guid, for presenting bindings the caller may read. */
  instancesByGuid(guids: string[]): Promise<ServiceInstanceEntity[]> {
    return this.repo.findByGuids([...new Set(guids)]);
  }

  openCredentials(sealed: string | null): Record<string, unknown> {
    return sealed ? this.box.openJson<Record<string, unknown>>(sealed) : {};
  }

  private async spaces(scope: Visibility, wanted?: string[]): Promise<'all' | string[]> {
    const visible = await this.identity.visibleSpaceGuids(scope);
    if (wanted === undefined) return visible;
    return visible === 'all' ? wanted : wanted.filter((s) => visible.includes(s));
  }
}
