import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { LogCacheReadResponse } from '@wharf/contracts';
import { AppsQueryService } from '@wharf/apps';
import { Principal, visibilityOf } from '@wharf/access';
import { commonError, CommonErrorCode } from '@wharf/platform/errors';
import { LOG_READ_MAX, LogStore } from '@wharf/platform/logstream';
import { GuidPipe } from '../common/guid.pipe';
import { CurrentPrincipal } from '../common/principal.decorator';

const nanos = (name: string, v: string | undefined): bigint | undefined => {
  if (v === undefined || v === '') return undefined;
  if (!/^\d{1,20}$/.test(v)) {
    throw commonError(
      CommonErrorCode.BadQueryParameter,
      `${name} must be nanoseconds since the epoch`,
    );
  }
  return BigInt(v);
};

/**
 * Cloud Foundry's Log Cache read API, for the lines of one app: what `cf logs` (and `wharf logs`)
 * read, recent lines with descending=true, following by polling from the last timestamp.
 */
@ApiTags('logs')
@ApiBearerAuth()
@Controller('api/v1/read')
export class LogCacheController {
  constructor(
    private readonly apps: AppsQueryService,
    private readonly logs: LogStore,
  ) {}

  @Get(':sourceId')
  @ApiOperation({
    summary:
      "An app's log lines (Log Cache's read API): start_time, end_time (ns), limit (≤1000), descending",
  })
  async read(
    @CurrentPrincipal() p: Principal,
    @Param('sourceId', new GuidPipe('App')) sourceId: string,
    @Query() q: Record<string, string | undefined>,
  ): Promise<LogCacheReadResponse> {
    const app = await this.apps.getApp(visibilityOf(p), sourceId);
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > LOG_READ_MAX) {
      throw commonError(
        CommonErrorCode.BadQueryParameter,
        `limit must be between 1 and ${LOG_READ_MAX}`,
      );
    }
    if (q.envelope_types && !q.envelope_types.split(',').includes('LOG')) {
      // Only LOG envelopes exist here; asking for others alone finds nothing.
      return { envelopes: { batch: [] } };
    }
    const batch = await this.logs.read(app.guid, {
      startTimeNs: nanos('start_time', q.start_time),
      endTimeNs: nanos('end_time', q.end_time),
      limit,
      descending: q.descending === 'true',
    });
    return { envelopes: { batch } };
  }
}
