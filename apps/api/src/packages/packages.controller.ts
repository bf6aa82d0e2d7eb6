import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  StreamableFile,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ListResponse } from '@wharf/contracts';
import {
  ResourceRef,
  PackageCreateAction,
  PackagesQueryService,
  PackageState,
  PackageUploadAction,
} from '@wharf/packages';
import { Principal, visibilityOf } from '@wharf/access';
import { CommonErrorCode, commonError } from '@wharf/platform/errors';
import { actorOf } from '../common/actor';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { ListSpec, parseListQuery, Query as ListQuery } from '../common/list-query';
import { presentList } from '../common/list.presenter';
import { CurrentPrincipal } from '../common/principal.decorator';
import { PackageCreateRequest } from './package-create.request';
import { PackageUploadGuard } from './package-upload.guard';
import type { PackageResource } from '@wharf/contracts';
import { PackagePresenter } from './package.presenter';

const LIST: ListSpec = {
  orderBy: { created_at: 'createdAt', updated_at: 'updatedAt' },
  filters: ['guids', 'states', 'app_guids'],
};
const APP_LIST: ListSpec = { orderBy: LIST.orderBy, filters: ['guids', 'states'] };

@ApiTags('packages')
@ApiBearerAuth()
@Controller('v3')
export class PackagesController {
  constructor(
    private readonly query: PackagesQueryService,
    private readonly createPackage: PackageCreateAction,
    private readonly uploadPackage: PackageUploadAction,
    private readonly presenter: PackagePresenter,
    private readonly url: ApiUrl,
  ) {}

  @Post('packages')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a bits package for an app (AWAITING_UPLOAD)' })
  async create(
    @CurrentPrincipal() p: Principal,
    @Body() body: PackageCreateRequest,
  ): Promise<PackageResource> {
    const pkg = await this.createPackage.execute({
      scope: visibilityOf(p),
      appGuid: body.relationships.app.data.guid.toLowerCase(),
      actor: actorOf(p),
    });
    return this.presenter.present(pkg);
  }

  @Get('packages')
  @ApiOperation({ summary: 'List packages (filters: guids, states, app_guids)' })
  async list(
    @CurrentPrincipal() p: Principal,
    @Query() q: ListQuery,
  ): Promise<ListResponse<PackageResource>> {
    const { page, filters } = parseListQuery(q, LIST);
    const result = await this.query.listPackages(
      visibilityOf(p),
      {
        guids: filters.guids,
        states: filters.states as PackageState[] | undefined,
        appGuids: filters.app_guids,
      },
      page,
    );
    return presentList(result, this.url.base, '/v3/packages', q, (x) => this.presenter.present(x));
  }

  @Get('apps/:guid/packages')
  @ApiOperation({ summary: "List an app's packages" })
  async listForApp(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) appGuid: string,
    @Query() q: ListQuery,
  ): Promise<ListResponse<PackageResource>> {
    const { page, filters } = parseListQuery(q, APP_LIST);
    const result = await this.query.listPackagesOfApp(
      visibilityOf(p),
      appGuid,
      { guids: filters.guids, states: filters.states as PackageState[] | undefined },
      page,
    );
    return presentList(result, this.url.base, `/v3/apps/${appGuid}/packages`, q, (x) =>
      this.presenter.present(x),
    );
  }

  @Get('packages/:guid')
  @ApiOperation({ summary: 'Get a package' })
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Package')) guid: string,
  ): Promise<PackageResource> {
    return this.presenter.present(await this.query.getPackage(visibilityOf(p), guid));
  }

  @Post('packages/:guid/upload')
  @HttpCode(200)
  @UseGuards(PackageUploadGuard)
  @UseInterceptors(FileInterceptor('bits'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        bits: { type: 'string', format: 'binary' },
        resources: {
          type: 'string',
          description: 'JSON: matched resources (path, mode, checksum)',
        },
      },
    },
  })
  @ApiOperation({
    summary: 'Upload the bits (a zip or tar, field "bits"); checked entry by entry, then READY',
  })
  async upload(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Package')) guid: string,
    @UploadedFile() file: { path: string } | undefined,
    @Body() body: { resources?: unknown } | undefined,
  ): Promise<PackageResource> {
    const resources = parseUploadResources(body?.resources);
    if (!file && resources.length === 0) {
      throw commonError(
        CommonErrorCode.UnprocessableEntity,
        'Upload the package bits as a multipart form field named "bits".',
      );
    }
    const pkg = await this.uploadPackage.execute({
      scope: visibilityOf(p),
      guid,
      ...(file ? { uploadedFile: file.path } : {}),
      resources,
      actor: actorOf(p),
    });
    return this.presenter.present(pkg);
  }

  @Get('packages/:guid/download')
  @ApiOperation({ summary: 'Download the bits of a READY package' })
  async download(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('Package')) guid: string,
  ): Promise<StreamableFile> {
    const { pkg, stream } = await this.query.openBits(visibilityOf(p), guid);
    return new StreamableFile(stream, {
      type: pkg.archiveFormat === 'zip' ? 'application/zip' : 'application/x-tar',
      disposition: `attachment; filename="${pkg.guid}.${pkg.archiveFormat === 'zip' ? 'zip' : 'tar'}"`,
    });
  }
}

/** The upload's `resources` field: CF resource match entries, as JSON text. */
function parseUploadResources(raw: unknown): ResourceRef[] {
  if (raw === undefined || raw === '') return [];
  let parsed: unknown;
  try {
    parsed = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    throw commonError(
      CommonErrorCode.UnprocessableEntity,
      'The resources field is not valid JSON.',
    );
  }
  if (!Array.isArray(parsed)) {
    throw commonError(CommonErrorCode.UnprocessableEntity, 'The resources field must be an array.');
  }
  return parsed.map((r) => toResourceRef(r, true));
}

/** One CF resource match entry `{checksum: {value}, size_in_bytes, path?, mode?}`. */
export function toResourceRef(r: unknown, needPath: boolean): ResourceRef {
  const bad = () =>
    commonError(
      CommonErrorCode.UnprocessableEntity,
      `Each resource needs checksum.value (sha1), size_in_bytes${needPath ? ' and path' : ''}.`,
    );
  if (typeof r !== 'object' || r === null) throw bad();
  const o = r as Record<string, unknown>;
  const checksum = o.checksum as Record<string, unknown> | undefined;
  const sha1 = typeof checksum?.value === 'string' ? checksum.value : o.sha1;
  const size = o.size_in_bytes ?? o.size;
  if (typeof sha1 !== 'string' || typeof size !== 'number') throw bad();
  if (needPath && (typeof o.path !== 'string' || o.path === '')) throw bad();
  return {
    sha1: sha1.toLowerCase(),
    sizeBytes: size,
    ...(typeof o.path === 'string' ? { path: o.path } : {}),
    ...(typeof o.mode === 'string' ? { mode: o.mode } : {}),
  };
}
