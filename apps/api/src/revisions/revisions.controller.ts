import { Body, Controller, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RevisionsQueryService, RevisionUpdateAction } from '@wharf/apps';
import { Principal, visibilityOf } from '@wharf/access';
import type {
  ListResponse,
  RevisionEnvironmentVariablesResource,
  RevisionResource,
} from '@wharf/contracts';
import { CommonErrorCode, commonError } from '@wharf/platform/errors';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { ListSpec, parseListQuery, Query as ListQuery } from '../common/list-query';
import { presentList } from '../common/list.presenter';
import { CurrentPrincipal } from '../common/principal.decorator';
import { RevisionPresenter } from './revision.presenter';
import { RevisionUpdateRequest } from './revision-update.request';

const ORDER = { created_at: 'createdAt', updated_at: 'updatedAt' };
const APP_LIST: ListSpec = { orderBy: ORDER, filters: ['versions', 'guids'] };
const DEPLOYED_LIST: ListSpec = { orderBy: ORDER, filters: [] };

/** Version numbers of the `versions` filter: positive integers, else a 400 naming the filter. */
function versionsOf(values: string[] | undefined): number[] | undefined {
  if (!values) return undefined;
  if (values.some((v) => !/^\d{1,9}$/.test(v)))
    throw commonError(CommonErrorCode.BadQueryParameter, 'Versions must be a list of integers');
  return values.map(Number);
}

/** CF's app revisions: what each start or restart ran from, newest version last by default. */
@ApiTags('revisions')
@ApiBearerAuth()
@Controller('v3')
export class RevisionsController {
  constructor(
    private readonly query: RevisionsQueryService,
    private readonly updateRevision: RevisionUpdateAction,
    private readonly presenter: RevisionPresenter,
    private readonly url: ApiUrl,
  ) {}

  @Get('apps/:guid/revisions')
  @ApiOperation({ summary: "List an app's revisions (filters: versions, guids)" })
  async listForApp(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) appGuid: string,
    @Query() q: ListQuery,
  ): Promise<ListResponse<RevisionResource>> {
    const { page, filters } = parseListQuery(q, APP_LIST);
    const result = await this.query.listForApp(
      visibilityOf(p),
      appGuid,
      { versions: versionsOf(filters.versions), guids: filters.guids },
      page,
    );
    return presentList(result, this.url.base, `/v3/apps/${appGuid}/revisions`, q, (r) =>
      this.presenter.present(r),
    );
  }

  @Get('apps/:guid/revisions/deployed')
  @ApiOperation({ summary: "The revisions an app's processes run (none while it is stopped)" })
  async deployed(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) appGuid: string,
    @Query() q: ListQuery,
  ): Promise<ListResponse<RevisionResource>> {
    const { page } = parseListQuery(q, DEPLOYED_LIST);
    const result = await this.query.deployed(visibilityOf(p), appGuid, page);
    return presentList(result, this.url.base, `/v3/apps/${appGuid}/revisions/deployed`, q, (r) =>
      this.presenter.present(r),
    );
  }

  @Get('revisions/:guid')
  @ApiOperation({ summary: 'Get a revision' })
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Revision')) guid: string,
  ): Promise<RevisionResource> {
    return this.presenter.present(await this.query.get(visibilityOf(p), guid));
  }

  @Patch('revisions/:guid')
  @ApiOperation({ summary: "Update a revision's metadata" })
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Revision')) guid: string,
    @Body() body: RevisionUpdateRequest,
  ): Promise<RevisionResource> {
    await this.updateRevision.execute({ scope: visibilityOf(p), guid, metadata: body.metadata });
    return this.presenter.present(await this.query.get(visibilityOf(p), guid));
  }

  @Get('revisions/:guid/environment_variables')
  @ApiOperation({ summary: "A revision's environment variables (space developers)" })
  async environmentVariables(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Revision')) guid: string,
  ): Promise<RevisionEnvironmentVariablesResource> {
    return this.presenter.presentVariables(
      await this.query.environmentVariables(visibilityOf(p), guid),
    );
  }
}
