import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ResourcePool } from '@wharf/packages';
import { Principal, visibilityOf } from '@wharf/access';
import { commonError, CommonErrorCode } from '@wharf/platform/errors';
import { CurrentPrincipal } from '../common/principal.decorator';
import { toResourceRef } from './packages.controller';

interface ResourceMatch {
  checksum: { value: string };
  size_in_bytes: number;
  path?: string;
  mode?: string;
}

/** Most pushes change a few files: the client asks which it need not send. */
const MAX_RESOURCES = 5000;

@ApiTags('packages')
@ApiBearerAuth()
@Controller('v3/resource_matches')
export class ResourceMatchesController {
  constructor(private readonly pool: ResourcePool) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Which of these files (sha1 + size) the platform already has; upload only the others and list these as "resources"',
  })
  async match(
    @CurrentPrincipal() p: Principal,
    @Body() body: { resources?: unknown },
  ): Promise<{ resources: ResourceMatch[] }> {
    if (!Array.isArray(body?.resources)) {
      throw commonError(CommonErrorCode.UnprocessableEntity, 'resources must be an array.');
    }
    if (body.resources.length > MAX_RESOURCES) {
      throw commonError(
        CommonErrorCode.UnprocessableEntity,
        `At most ${MAX_RESOURCES} resources can be matched at once.`,
      );
    }
    const asked = body.resources.map((r) => toResourceRef(r, false));
    const found = await this.pool.matches(visibilityOf(p), asked);
    return {
      resources: found.map((r) => ({
        checksum: { value: r.sha1 },
        size_in_bytes: r.sizeBytes,
        ...(r.path !== undefined ? { path: r.path } : {}),
        ...(r.mode !== undefined ? { mode: r.mode } : {}),
      })),
    };
  }
}
