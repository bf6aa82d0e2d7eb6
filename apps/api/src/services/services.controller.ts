import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type {
  CredentialBindingResource,
  ListResponse,
  ServiceInstanceResource,
} from '@wharf/contracts';
import { Principal, visibilityOf } from '@wharf/identity';
import { CommonErrorCode, commonError } from '@wharf/platform/errors';
import {
  AppBindingCreateAction,
  CredentialBindingDeleteAction,
  ServicesQueryService,
  UserProvidedInstanceCreateAction,
  UserProvidedInstanceDeleteAction,
  UserProvidedInstanceUpdateAction,
} from '@wharf/services';
import { actorOf } from '../common/actor';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { ListSpec, parseListQuery, Query as ListQuery } from '../common/list-query';
import { presentList } from '../common/list.presenter';
import { CurrentPrincipal } from '../common/principal.decorator';
import { ServicePresenter } from './service.presenter';
import {
  CredentialBindingCreateRequest,
  ServiceInstanceCreateRequest,
  ServiceInstanceUpdateRequest,
} from './services.request';

const INSTANCES: ListSpec = {
  orderBy: { created_at: 'createdAt', updated_at: 'updatedAt', name: 'name' },
  filters: ['names', 'space_guids', 'guids', 'type'],
};
const BINDINGS: ListSpec = {
  orderBy: { created_at: 'createdAt', updated_at: 'updatedAt', name: 'name' },
  filters: ['names', 'service_instance_guids', 'app_guids', 'type'],
};

/** CF v3 service instances (user-provided so far) and service credential bindings. */
@ApiTags('services')
@ApiBearerAuth()
@Controller('v3')
export class ServicesController {
  constructor(
    private readonly query: ServicesQueryService,
    private readonly createInstance: UserProvidedInstanceCreateAction,
    private readonly updateInstance: UserProvidedInstanceUpdateAction,
    private readonly deleteInstance: UserProvidedInstanceDeleteAction,
    private readonly createBinding: AppBindingCreateAction,
    private readonly deleteBinding: CredentialBindingDeleteAction,
    private readonly presenter: ServicePresenter,
    private readonly url: ApiUrl,
  ) {}

  @Get('service_instances')
  @ApiOperation({ summary: 'List service instances (filters: names, space_guids, type)' })
  async listInstances(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<ServiceInstanceResource>> {
    const { page, filters } = parseListQuery(q, INSTANCES);
    const result = await this.query.listInstances(
      visibilityOf(p),
      {
        names: filters.names,
        spaceGuids: filters.space_guids,
        guids: filters.guids,
        type: filters.type?.[0],
      },
      page,
    );
    return presentList(result, this.url.base, '/v3/service_instances', q, (i) =>
      this.presenter.instance(i),
    );
  }

  @Get('service_instances/:guid')
  @ApiOperation({ summary: 'Get a service instance' })
  async getInstance(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Service instance')) guid: string,
  ): Promise<ServiceInstanceResource> {
    return this.presenter.instance(await this.query.getInstance(visibilityOf(p), guid));
  }

  @Get('service_instances/:guid/credentials')
  @ApiOperation({ summary: "A user-provided service instance's credentials" })
  credentials(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Service instance')) guid: string,
  ): Promise<Record<string, unknown>> {
    return this.query.credentials(visibilityOf(p), guid);
  }

  @Post('service_instances')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a user-provided service instance (201)' })
  async postInstance(
    @CurrentPrincipal() p: Principal,
    @Body() body: ServiceInstanceCreateRequest,
  ): Promise<ServiceInstanceResource> {
    if (body.type !== 'user-provided') {
      throw commonError(
        CommonErrorCode.UnprocessableEntity,
        'Managed service instances need a service broker; none is available yet. Create a user-provided one (type: user-provided).',
      );
    }
    const instance = await this.createInstance.execute({
      scope: visibilityOf(p),
      spaceGuid: body.relationships.space.data.guid.toLowerCase(),
      fields: {
        name: body.name,
        credentials: body.credentials,
        tags: body.tags,
        syslogDrainUrl: body.syslog_drain_url,
        routeServiceUrl: body.route_service_url,
      },
      actor: actorOf(p),
    });
    return this.presenter.instance(instance);
  }

  @Patch('service_instances/:guid')
  @ApiOperation({ summary: 'Update a user-provided service instance (200)' })
  async patchInstance(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Service instance')) guid: string,
    @Body() body: ServiceInstanceUpdateRequest,
  ): Promise<ServiceInstanceResource> {
    const instance = await this.updateInstance.execute({
      scope: visibilityOf(p),
      guid,
      fields: {
        name: body.name,
        credentials: body.credentials,
        tags: body.tags,
        syslogDrainUrl: body.syslog_drain_url,
        routeServiceUrl: body.route_service_url,
      },
      actor: actorOf(p),
    });
    return this.presenter.instance(instance);
  }

  @Delete('service_instances/:guid')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a user-provided service instance and its bindings (204)' })
  async removeInstance(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Service instance')) guid: string,
  ): Promise<void> {
    await this.deleteInstance.execute({ scope: visibilityOf(p), guid, actor: actorOf(p) });
  }

  @Get('service_credential_bindings')
  @ApiOperation({
    summary: 'List service credential bindings (filters: app_guids, service_instance_guids)',
  })
  async listBindings(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<CredentialBindingResource>> {
    const { page, filters } = parseListQuery(q, BINDINGS);
    const result = await this.query.listBindings(
      visibilityOf(p),
      {
        names: filters.names,
        appGuids: filters.app_guids,
        serviceInstanceGuids: filters.service_instance_guids,
        type: filters.type?.[0],
      },
      page,
    );
    return presentList(result, this.url.base, '/v3/service_credential_bindings', q, (b) =>
      this.presenter.binding(b),
    );
  }

  @Get('service_credential_bindings/:guid')
  @ApiOperation({ summary: 'Get a service credential binding' })
  async getBinding(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Service credential binding')) guid: string,
  ): Promise<CredentialBindingResource> {
    return this.presenter.binding(await this.query.getBinding(visibilityOf(p), guid));
  }

  @Get('service_credential_bindings/:guid/details')
  @ApiOperation({ summary: "A binding's credentials and syslog drain" })
  details(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Service credential binding')) guid: string,
  ): Promise<{ credentials: Record<string, unknown>; syslog_drain_url: string | null }> {
    return this.query.bindingDetails(visibilityOf(p), guid);
  }

  @Post('service_credential_bindings')
  @HttpCode(201)
  @ApiOperation({ summary: 'Bind an app to a user-provided service instance (201)' })
  async postBinding(
    @CurrentPrincipal() p: Principal,
    @Body() body: CredentialBindingCreateRequest,
  ): Promise<CredentialBindingResource> {
    if (body.type !== 'app' || !body.relationships.app) {
      throw commonError(
        CommonErrorCode.UnprocessableEntity,
        body.type === 'key'
          ? 'Service keys need a managed service instance; none is available yet.'
          : 'relationships.app is required for an app binding.',
      );
    }
    const binding = await this.createBinding.execute({
      scope: visibilityOf(p),
      serviceInstanceGuid: body.relationships.service_instance.data.guid.toLowerCase(),
      appGuid: body.relationships.app.data.guid.toLowerCase(),
      name: body.name,
      actor: actorOf(p),
    });
    return this.presenter.binding(binding);
  }

  @Delete('service_credential_bindings/:guid')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unbind (204)' })
  async removeBinding(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Service credential binding')) guid: string,
  ): Promise<void> {
    await this.deleteBinding.execute({ scope: visibilityOf(p), guid, actor: actorOf(p) });
  }
}
