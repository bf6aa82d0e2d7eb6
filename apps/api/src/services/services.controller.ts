import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type {
  CredentialBindingResource,
  ListResponse,
  ServiceInstanceResource,
} from '@wharf/contracts';
import { Principal, visibilityOf } from '@wharf/access';
import { CommonErrorCode, commonError } from '@wharf/platform/errors';
import {
  AppBindingCreateAction,
  CredentialBindingDeleteAction,
  ManagedBindingCreateAction,
  ManagedBindingDeleteAction,
  ManagedInstanceCreateAction,
  ManagedInstanceDeleteAction,
  ManagedInstanceUpdateAction,
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

/**
 * CF v3 service instances and service credential bindings. User-provided ones change at once
 * (201/200/204); managed ones are changed by their broker in a job (202 + Location).
 */
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
    private readonly createManaged: ManagedInstanceCreateAction,
    private readonly updateManaged: ManagedInstanceUpdateAction,
    private readonly deleteManaged: ManagedInstanceDeleteAction,
    private readonly createManagedBinding: ManagedBindingCreateAction,
    private readonly deleteManagedBinding: ManagedBindingDeleteAction,
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
  @ApiOperation({
    summary:
      'Create a service instance: user-provided (201) or managed (202 + job provisioning it)',
  })
  async postInstance(
    @CurrentPrincipal() p: Principal,
    @Body() body: ServiceInstanceCreateRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ServiceInstanceResource | undefined> {
    const spaceGuid = body.relationships.space.data.guid.toLowerCase();
    if (body.type === 'managed') {
      if (!body.relationships.service_plan)
        throw commonError(
          CommonErrorCode.UnprocessableEntity,
          'Relationships service_plan is required for a managed service instance.',
        );
      if (body.credentials !== undefined)
        throw commonError(
          CommonErrorCode.UnprocessableEntity,
          'Credentials are only for user-provided service instances; give a managed one parameters.',
        );
      const { jobGuid } = await this.createManaged.execute({
        scope: visibilityOf(p),
        userGuid: p.userGuid,
        spaceGuid,
        name: body.name,
        planGuid: body.relationships.service_plan.data.guid.toLowerCase(),
        parameters: body.parameters,
        tags: body.tags,
        actor: actorOf(p),
      });
      res.status(202).setHeader('Location', this.url.to(`/v3/jobs/${jobGuid}`));
      return undefined;
    }
    if (body.parameters !== undefined)
      throw commonError(
        CommonErrorCode.UnprocessableEntity,
        'Parameters are only for managed service instances; give a user-provided one credentials.',
      );
    const instance = await this.createInstance.execute({
      scope: visibilityOf(p),
      spaceGuid,
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
  @ApiOperation({
    summary:
      'Update a service instance: 200, or 202 + job when a managed plan or parameters change',
  })
  async patchInstance(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Service instance')) guid: string,
    @Body() body: ServiceInstanceUpdateRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ServiceInstanceResource | undefined> {
    const scope = visibilityOf(p);
    const current = await this.query.getInstance(scope, guid);
    if (current.type === 'managed') {
      if (body.credentials !== undefined)
        throw commonError(
          CommonErrorCode.UnprocessableEntity,
          'Credentials are only for user-provided service instances.',
        );
      const { instance, jobGuid } = await this.updateManaged.execute({
        scope,
        userGuid: p.userGuid,
        guid,
        name: body.name,
        tags: body.tags,
        planGuid: body.relationships?.service_plan?.data.guid.toLowerCase(),
        parameters: body.parameters,
        actor: actorOf(p),
      });
      if (!jobGuid) return this.presenter.instance(instance);
      res.status(202).setHeader('Location', this.url.to(`/v3/jobs/${jobGuid}`));
      return undefined;
    }
    if (body.parameters !== undefined || body.relationships?.service_plan)
      throw commonError(
        CommonErrorCode.UnprocessableEntity,
        'A user-provided service instance has no plan or parameters; update its credentials.',
      );
    const instance = await this.updateInstance.execute({
      scope,
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
  @ApiOperation({
    summary:
      'Delete a service instance: user-provided (204) or managed (202 + job deprovisioning it)',
  })
  async removeInstance(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Service instance')) guid: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const scope = visibilityOf(p);
    const instance = await this.query.getInstance(scope, guid);
    if (instance.type === 'managed') {
      const { jobGuid } = await this.deleteManaged.execute({
        scope,
        userGuid: p.userGuid,
        guid,
        actor: actorOf(p),
      });
      res.status(202).setHeader('Location', this.url.to(`/v3/jobs/${jobGuid}`));
      return;
    }
    await this.deleteInstance.execute({ scope, guid, actor: actorOf(p) });
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
    const managed = new Set(
      (await this.query.instancesByGuid(result.items.map((b) => b.serviceInstanceGuid)))
        .filter((i) => i.type === 'managed')
        .map((i) => i.guid),
    );
    return presentList(result, this.url.base, '/v3/service_credential_bindings', q, (b) =>
      this.presenter.binding(b, managed.has(b.serviceInstanceGuid)),
    );
  }

  @Get('service_credential_bindings/:guid')
  @ApiOperation({ summary: 'Get a service credential binding' })
  async getBinding(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Service credential binding')) guid: string,
  ): Promise<CredentialBindingResource> {
    const binding = await this.query.getBinding(visibilityOf(p), guid);
    const [instance] = await this.query.instancesByGuid([binding.serviceInstanceGuid]);
    return this.presenter.binding(binding, instance?.type === 'managed');
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
  @ApiOperation({
    summary:
      'Bind an app or create a service key: user-provided (201) or managed (202 + job binding at the broker)',
  })
  async postBinding(
    @CurrentPrincipal() p: Principal,
    @Body() body: CredentialBindingCreateRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CredentialBindingResource | undefined> {
    const scope = visibilityOf(p);
    const instanceGuid = body.relationships.service_instance.data.guid.toLowerCase();
    if (body.type === 'app' && !body.relationships.app)
      throw commonError(
        CommonErrorCode.UnprocessableEntity,
        'relationships.app is required for an app binding.',
      );
    if (body.type === 'key' && body.relationships.app)
      throw commonError(
        CommonErrorCode.UnprocessableEntity,
        'A service key is not bound to an app.',
      );
    const [instance] = await this.query.instancesByGuid([instanceGuid]);
    if (instance?.type === 'managed') {
      const { jobGuid } = await this.createManagedBinding.execute({
        scope,
        userGuid: p.userGuid,
        type: body.type,
        serviceInstanceGuid: instanceGuid,
        appGuid: body.relationships.app?.data.guid.toLowerCase(),
        name: body.name,
        parameters: body.parameters,
        actor: actorOf(p),
      });
      res.status(202).setHeader('Location', this.url.to(`/v3/jobs/${jobGuid}`));
      return undefined;
    }
    if (body.type === 'key')
      throw commonError(
        CommonErrorCode.UnprocessableEntity,
        'Service credential bindings of type key are not supported for user-provided service instances.',
      );
    const binding = await this.createBinding.execute({
      scope,
      serviceInstanceGuid: instanceGuid,
      appGuid: body.relationships.app!.data.guid.toLowerCase(),
      name: body.name,
      actor: actorOf(p),
    });
    return this.presenter.binding(binding);
  }

  @Delete('service_credential_bindings/:guid')
  @HttpCode(204)
  @ApiOperation({ summary: 'Unbind or delete a key: 204, or 202 + job for a managed instance' })
  async removeBinding(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Service credential binding')) guid: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const scope = visibilityOf(p);
    const binding = await this.query.getBinding(scope, guid);
    const [instance] = await this.query.instancesByGuid([binding.serviceInstanceGuid]);
    if (instance?.type === 'managed') {
      const { jobGuid } = await this.deleteManagedBinding.execute({
        scope,
        userGuid: p.userGuid,
        guid,
        actor: actorOf(p),
      });
      res.status(202).setHeader('Location', this.url.to(`/v3/jobs/${jobGuid}`));
      return;
    }
    await this.deleteBinding.execute({ scope, guid, actor: actorOf(p) });
  }
}
