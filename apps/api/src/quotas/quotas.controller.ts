import {
  applyDecorators,
  Body,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  Res,
  Type,
} from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ListResponse } from '@wharf/contracts';
import { Principal, Visibility, visibilityOf } from '@wharf/access';
import {
  QuotaApplyAction,
  QuotaCreateAction,
  QuotaDeleteAction,
  QuotaKind,
  QuotaRemoveAction,
  QuotaScope,
  QuotaTypes,
  QuotaUpdateAction,
} from '@wharf/identity';
import { actorOf } from '../common/actor';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { ListSpec, parseListQuery, Query as ListQuery } from '../common/list-query';
import { presentList } from '../common/list.presenter';
import { CurrentPrincipal } from '../common/principal.decorator';
import { QuotaPresenter } from './quota.presenter';
import { limitsOf, QuotaLimitsRequest, ToManyRelationshipRequest } from './quota.request';

/** What sets /v3/organization_quotas apart from /v3/space_quotas; the rest is the same. */
export interface QuotaEndpoints<T extends QuotaTypes, R, C, U> {
  kind: QuotaKind;
  scope: Type<QuotaScope<T>>;
  /** As a 404 names it: `Organization quota`. */
  noun: string;
  /** As the API docs name one: `an organization quota`. */
  one: string;
  /** Who may create and change one, as the API docs say it. */
  changedBy: string;
  filters: readonly string[];
  filter(filters: Record<string, string[] | undefined>): T['filter'];
  createRequest: Type<C>;
  created(body: C): { appliedTo?: string[]; options: T['create'] };
  updateRequest: Type<U>;
  updated(body: U): T['update'];
  /** What it is applied to: `organization` or `space`. */
  target: 'organization' | 'space';
  applySummary: string;
  /** Space quotas come off a space (DELETE …/relationships/spaces/:spaceGuid). */
  removeSummary?: string;
  present(presenter: QuotaPresenter, quota: T['quota'], appliedTo: string[]): R;
}

/** Parameter types the compiler cannot emit for a generic method (validation and docs read them). */
const ParamTypes =
  (...types: unknown[]): MethodDecorator =>
  (target, key) =>
    Reflect.defineMetadata('design:paramtypes', types, target, key);

/**
 * The controller of one kind of quota: list, get, create, update, delete (202 + job), apply to
 * organizations or spaces and, for space quotas, remove from one. The returned class gets its
 * route prefix and tags where it is declared.
 */
export function quotasController<
  T extends QuotaTypes,
  R,
  C extends QuotaLimitsRequest & { name: string },
  U extends QuotaLimitsRequest & { name?: string },
>(e: QuotaEndpoints<T, R, C, U>): Type<object> {
  const path = `/v3/${e.kind}s`;
  const targets = `${e.target}s`;
  const list: ListSpec = {
    orderBy: { created_at: 'createdAt', updated_at: 'updatedAt', name: 'name' },
    filters: e.filters,
  };
  const guidPipe = () => new GuidPipe(e.noun);

  class QuotasController {
    constructor(
      @Inject(e.scope) private readonly quotas: QuotaScope<T>,
      private readonly createQuota: QuotaCreateAction,
      private readonly updateQuota: QuotaUpdateAction,
      private readonly deleteQuota: QuotaDeleteAction,
      private readonly applyQuota: QuotaApplyAction,
      private readonly removeQuota: QuotaRemoveAction,
      private readonly presenter: QuotaPresenter,
      private readonly url: ApiUrl,
    ) {}

    @Get()
    @ApiOperation({
      summary: `List ${e.kind.replace('_', ' ')}s (filters: ${e.filters.join(', ')})`,
    })
    async list(@CurrentPrincipal() p: Principal, @Query() q: ListQuery): Promise<ListResponse<R>> {
      const { page, filters } = parseListQuery(q, list);
      const scope = visibilityOf(p);
      const result = await this.quotas.list(scope, e.filter(filters), page);
      const applied = await Promise.all(
        result.items.map((quota) => this.quotas.appliedTo(scope, quota)),
      );
      return presentList(result, this.url.base, path, q, (quota) =>
        e.present(this.presenter, quota, applied[result.items.indexOf(quota)] ?? []),
      );
    }

    @Get(':guid')
    @ApiOperation({ summary: `Get ${e.one}` })
    async get(
      @CurrentPrincipal() p: Principal,
      @Param('guid', guidPipe()) guid: string,
    ): Promise<R> {
      const scope = visibilityOf(p);
      return this.present(scope, await this.quotas.get(scope, guid));
    }

    @Post()
    @HttpCode(201)
    @ApiOperation({ summary: `Create ${e.one} (${e.changedBy})` })
    @ParamTypes(Object, e.createRequest)
    async create(@CurrentPrincipal() p: Principal, @Body() body: C): Promise<R> {
      const scope = visibilityOf(p);
      const quota = await this.createQuota.execute(this.quotas, {
        scope,
        actor: actorOf(p),
        request: { ...body },
        name: body.name,
        limits: limitsOf(body),
        ...e.created(body),
      });
      return this.present(scope, quota);
    }

    @Patch(':guid')
    @ApiOperation({ summary: `Update ${e.one} (${e.changedBy})` })
    @ParamTypes(Object, String, e.updateRequest)
    async update(
      @CurrentPrincipal() p: Principal,
      @Param('guid', guidPipe()) guid: string,
      @Body() body: U,
    ): Promise<R> {
      const scope = visibilityOf(p);
      const quota = await this.updateQuota.execute(this.quotas, {
        scope,
        actor: actorOf(p),
        request: { ...body },
        guid,
        name: body.name,
        limits: limitsOf(body),
        options: e.updated(body),
      });
      return this.present(scope, quota);
    }

    @Delete(':guid')
    @HttpCode(202)
    @ApiOperation({ summary: `Delete ${e.one} (202 + job); refused while applied` })
    async remove(
      @CurrentPrincipal() p: Principal,
      @Param('guid', guidPipe()) guid: string,
      @Res({ passthrough: true }) res: Response,
    ): Promise<void> {
      const { jobGuid } = await this.deleteQuota.execute(this.quotas, {
        scope: visibilityOf(p),
        principal: p,
        actor: actorOf(p),
        guid,
      });
      res.setHeader('Location', this.url.to(`/v3/jobs/${jobGuid}`));
    }

    @Post(`:guid/relationships/${targets}`)
    @HttpCode(200)
    @ApiOperation({ summary: e.applySummary })
    async apply(
      @CurrentPrincipal() p: Principal,
      @Param('guid', guidPipe()) guid: string,
      @Body() body: ToManyRelationshipRequest,
    ) {
      const guids = await this.applyQuota.execute(this.quotas, {
        scope: visibilityOf(p),
        actor: actorOf(p),
        guid,
        appliedTo: body.data.map((d) => d.guid),
      });
      return this.presenter.relationship(`${path}/${guid}/relationships/${targets}`, guids);
    }

    @(e.removeSummary
      ? applyDecorators(
          Delete(`:guid/relationships/${targets}/:${e.target}Guid`),
          HttpCode(204),
          ApiOperation({ summary: e.removeSummary }),
        )
      : ApiExcludeEndpoint())
    async unapply(
      @CurrentPrincipal() p: Principal,
      @Param('guid', guidPipe()) guid: string,
      @Param(`${e.target}Guid`, new GuidPipe(e.target === 'space' ? 'Space' : 'Organization'))
      targetGuid: string,
    ): Promise<void> {
      await this.removeQuota.execute(this.quotas, {
        scope: visibilityOf(p),
        actor: actorOf(p),
        guid,
        appliedTo: targetGuid,
      });
    }

    private async present(scope: Visibility, quota: T['quota']): Promise<R> {
      return e.present(this.presenter, quota, await this.quotas.appliedTo(scope, quota));
    }
  }
  return QuotasController;
}
