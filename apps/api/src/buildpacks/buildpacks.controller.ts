import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ListResponse } from '@wharf/contracts';
import { BuildpacksQueryService, SystemBuildpack } from '@wharf/staging';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { ListSpec, parseListQuery, Query as ListQuery } from '../common/list-query';
import { iso, presentList } from '../common/list.presenter';

const LIST: ListSpec = {
  orderBy: { position: 'position', name: 'name', created_at: 'position', updated_at: 'updatedAt' },
  filters: ['names', 'stacks'],
};
// parseListQuery defaults to created_at; for buildpacks that is their position.

export interface BuildpackResource {
  guid: string;
  created_at: string;
  updated_at: string;
  name: string;
  state: 'READY';
  filename: string;
  stack: string;
  position: number;
  lifecycle: 'buildpack';
  enabled: boolean;
  locked: boolean;
  metadata: { labels: Record<string, string>; annotations: Record<string, string> };
  links: Record<string, { href: string; method?: 'POST' }>;
}

@ApiTags('buildpacks')
@ApiBearerAuth()
@Controller('v3/buildpacks')
export class BuildpacksController {
  constructor(
    private readonly buildpacks: BuildpacksQueryService,
    private readonly url: ApiUrl,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List the system buildpacks in detection order (filters: names, stacks)',
  })
  async list(@Query() q: ListQuery): Promise<ListResponse<BuildpackResource>> {
    const { page, filters } = parseListQuery(q, LIST);
    const field =
      page.orderBy === 'name' ? 'name' : page.orderBy === 'updatedAt' ? 'updatedAt' : 'position';
    const sign = page.direction === 'DESC' ? -1 : 1;
    const all = (await this.buildpacks.list())
      .filter((b) => !filters.names || filters.names.includes(b.name))
      .filter((b) => !filters.stacks || filters.stacks.includes(b.stack))
      .sort((a, b) => (a[field] < b[field] ? -sign : a[field] > b[field] ? sign : 0));
    const start = (page.page - 1) * page.perPage;
    return presentList(
      { items: all.slice(start, start + page.perPage), total: all.length, request: page },
      this.url.base,
      '/v3/buildpacks',
      q,
      (b) => this.present(b),
    );
  }

  @Get(':guid')
  @ApiOperation({ summary: 'Get a buildpack' })
  async get(@Param('guid', new GuidPipe('Buildpack')) guid: string): Promise<BuildpackResource> {
    return this.present(await this.buildpacks.get(guid));
  }

  private present(b: SystemBuildpack): BuildpackResource {
    const self = this.url.to(`/v3/buildpacks/${b.guid}`);
    return {
      guid: b.guid,
      created_at: iso(b.updatedAt),
      updated_at: iso(b.updatedAt),
      name: b.name,
      state: 'READY',
      filename: b.filename,
      stack: b.stack,
      position: b.position,
      lifecycle: 'buildpack',
      enabled: b.enabled,
      locked: b.locked,
      metadata: { labels: {}, annotations: {} },
      links: { self: { href: self } },
    };
  }
}
