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
  ListResponse,
  ServiceBrokerResource,
  ServiceOfferingResource,
  ServicePlanResource,
  ServicePlanVisibilityResource,
} from '@wharf/contracts';
import { Principal, visibilityOf } from '@wharf/access';
import {
  PlanVisibilityUpdateAction,
  ServiceBrokerCreateAction,
  ServiceBrokerDeleteAction,
  ServiceBrokerUpdateAction,
  ServiceCatalogQueryService,
} from '@wharf/services';
import { actorOf } from '../common/actor';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { ListSpec, parseListQuery, Query as ListQuery } from '../common/list-query';
import { presentList } from '../common/list.presenter';
import { CurrentPrincipal } from '../common/principal.decorator';
import { ServiceCatalogPresenter } from './service-catalog.presenter';
import {
  PlanVisibilityRequest,
  ServiceBrokerCreateRequest,
  ServiceBrokerUpdateRequest,
} from './service-catalog.request';

const ORDER = { created_at: 'createdAt', updated_at: 'updatedAt', name: 'name' };
const BROKERS: ListSpec = { orderBy: ORDER, filters: ['names'] };
const OFFERINGS: ListSpec = {
  orderBy: ORDER,
  filters: ['names', 'service_broker_guids', 'service_broker_names', 'available', 'guids'],
};
const PLANS: ListSpec = {
  orderBy: ORDER,
  filters: [
    'names',
    'service_offering_guids',
    'service_offering_names',
    'service_broker_guids',
    'service_broker_names',
    'available',
    'guids',
  ],
};

const bool = (v: string[] | undefined): boolean | undefined =>
  v === undefined ? undefined : v[0] === 'true';

/** CF v3 service brokers, service offerings and service plans (with plan visibility). */
@ApiTags('services')
@ApiBearerAuth()
@Controller('v3')
export class ServiceCatalogController {
  constructor(
    private readonly query: ServiceCatalogQueryService,
    private readonly createBroker: ServiceBrokerCreateAction,
    private readonly updateBroker: ServiceBrokerUpdateAction,
    private readonly deleteBroker: ServiceBrokerDeleteAction,
    private readonly visibility: PlanVisibilityUpdateAction,
    private readonly presenter: ServiceCatalogPresenter,
    private readonly url: ApiUrl,
  ) {}

  @Get('service_brokers')
  @ApiOperation({ summary: 'List service brokers (admins)' })
  async listBrokers(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<ServiceBrokerResource>> {
    const { page, filters } = parseListQuery(q, BROKERS);
    const result = await this.query.listBrokers(visibilityOf(p), { names: filters.names }, page);
    return presentList(result, this.url.base, '/v3/service_brokers', q, (b) =>
      this.presenter.broker(b),
    );
  }

  @Get('service_brokers/:guid')
  @ApiOperation({ summary: 'Get a service broker' })
  async getBroker(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Service broker')) guid: string,
  ): Promise<ServiceBrokerResource> {
    return this.presenter.broker(await this.query.getBroker(visibilityOf(p), guid));
  }

  @Post('service_brokers')
  @HttpCode(202)
  @ApiOperation({ summary: 'Register a service broker: 202 + job that fetches its catalog' })
  async postBroker(
    @CurrentPrincipal() p: Principal,
    @Body() body: ServiceBrokerCreateRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const { jobGuid } = await this.createBroker.execute({
      scope: visibilityOf(p),
      userGuid: p.userGuid,
      fields: {
        name: body.name,
        url: body.url,
        username: body.authentication.credentials.username,
        password: body.authentication.credentials.password,
      },
      actor: actorOf(p),
    });
    res.setHeader('Location', this.url.to(`/v3/jobs/${jobGuid}`));
  }

  @Patch('service_brokers/:guid')
  @ApiOperation({
    summary: 'Update a service broker: 200 for a name; 202 + job when url or credentials change',
  })
  async patchBroker(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Service broker')) guid: string,
    @Body() body: ServiceBrokerUpdateRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ServiceBrokerResource | undefined> {
    const { broker, jobGuid } = await this.updateBroker.execute({
      scope: visibilityOf(p),
      userGuid: p.userGuid,
      guid,
      fields: {
        name: body.name,
        url: body.url,
        username: body.authentication?.credentials.username,
        password: body.authentication?.credentials.password,
      },
      actor: actorOf(p),
    });
    if (!jobGuid) return this.presenter.broker(broker);
    res.status(202).setHeader('Location', this.url.to(`/v3/jobs/${jobGuid}`));
    return undefined;
  }

  @Delete('service_brokers/:guid')
  @HttpCode(202)
  @ApiOperation({ summary: 'Delete a service broker without service instances (202 + job)' })
  async removeBroker(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Service broker')) guid: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const { jobGuid } = await this.deleteBroker.execute({
      scope: visibilityOf(p),
      userGuid: p.userGuid,
      guid,
      actor: actorOf(p),
    });
    res.setHeader('Location', this.url.to(`/v3/jobs/${jobGuid}`));
  }

  @Get('service_offerings')
  @ApiOperation({ summary: 'List service offerings the caller can use' })
  async listOfferings(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<ServiceOfferingResource>> {
    const { page, filters } = parseListQuery(q, OFFERINGS);
    const result = await this.query.listOfferings(
      visibilityOf(p),
      {
        names: filters.names,
        guids: filters.guids,
        brokerGuids: filters.service_broker_guids,
        brokerNames: filters.service_broker_names,
        available: bool(filters.available),
      },
      page,
    );
    return presentList(result, this.url.base, '/v3/service_offerings', q, (o) =>
      this.presenter.offering(o),
    );
  }

  @Get('service_offerings/:guid')
  @ApiOperation({ summary: 'Get a service offering' })
  async getOffering(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Service offering')) guid: string,
  ): Promise<ServiceOfferingResource> {
    return this.presenter.offering(await this.query.getOffering(visibilityOf(p), guid));
  }

  @Get('service_plans')
  @ApiOperation({ summary: 'List service plans the caller can use' })
  async listPlans(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<ServicePlanResource>> {
    const { page, filters } = parseListQuery(q, PLANS);
    const result = await this.query.listPlans(
      visibilityOf(p),
      {
        names: filters.names,
        guids: filters.guids,
        offeringGuids: filters.service_offering_guids,
        offeringNames: filters.service_offering_names,
        brokerGuids: filters.service_broker_guids,
        brokerNames: filters.service_broker_names,
        available: bool(filters.available),
      },
      page,
    );
    const offerings = new Map(
      (await this.query.offeringsByGuids(result.items.map((i) => i.offeringGuid))).map((o) => [
        o.guid,
        o,
      ]),
    );
    const types = await this.query.visibilityTypes(result.items);
    return presentList(result, this.url.base, '/v3/service_plans', q, (plan) =>
      this.presenter.plan(plan, offerings.get(plan.offeringGuid), types.get(plan.guid) ?? 'admin'),
    );
  }

  @Get('service_plans/:guid')
  @ApiOperation({ summary: 'Get a service plan' })
  async getPlan(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Service plan')) guid: string,
  ): Promise<ServicePlanResource> {
    const plan = await this.query.getPlan(visibilityOf(p), guid);
    const [offering] = await this.query.offeringsByGuids([plan.offeringGuid]);
    const types = await this.query.visibilityTypes([plan]);
    return this.presenter.plan(plan, offering, types.get(plan.guid) ?? 'admin');
  }

  @Get('service_plans/:guid/visibility')
  @ApiOperation({ summary: "A plan's visibility: public, admin or the organizations listed" })
  async getVisibility(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Service plan')) guid: string,
  ): Promise<ServicePlanVisibilityResource> {
    const v = await this.query.visibilityOfPlan(visibilityOf(p), guid);
    return v.type === 'organization' ? v : { type: v.type };
  }

  @Patch('service_plans/:guid/visibility')
  @ApiOperation({ summary: "Replace a plan's visibility (admins)" })
  replaceVisibility(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Service plan')) guid: string,
    @Body() body: PlanVisibilityRequest,
  ): Promise<ServicePlanVisibilityResource> {
    return this.changeVisibility(p, guid, body, 'replace');
  }

  @Post('service_plans/:guid/visibility')
  @HttpCode(200)
  @ApiOperation({ summary: "Add organizations to a plan's visibility (admins)" })
  appendVisibility(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Service plan')) guid: string,
    @Body() body: PlanVisibilityRequest,
  ): Promise<ServicePlanVisibilityResource> {
    return this.changeVisibility(p, guid, body, 'append');
  }

  @Delete('service_plans/:guid/visibility/:organization_guid')
  @HttpCode(204)
  @ApiOperation({ summary: "Remove an organization from a plan's visibility (admins)" })
  async removeVisibility(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Service plan')) guid: string,
    @Param('organization_guid', new GuidPipe('Organization')) organizationGuid: string,
  ): Promise<void> {
    await this.visibility.removeOrganization({
      scope: visibilityOf(p),
      planGuid: guid,
      organizationGuid,
      actor: actorOf(p),
    });
  }

  private async changeVisibility(
    p: Principal,
    guid: string,
    body: PlanVisibilityRequest,
    mode: 'replace' | 'append',
  ): Promise<ServicePlanVisibilityResource> {
    await this.visibility.execute({
      scope: visibilityOf(p),
      planGuid: guid,
      type: body.type,
      organizationGuids: (body.organizations ?? []).map((o) => o.guid.toLowerCase()),
      mode,
      actor: actorOf(p),
    });
    const v = await this.query.visibilityOfPlan(visibilityOf(p), guid);
    return v.type === 'organization' ? v : { type: v.type };
  }
}
