import { rm } from 'node:fs/promises';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { PackagesQueryService } from '@wharf/packages';
import { visibilityOf } from '@wharf/access';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { isUuid } from '@wharf/platform/db';
import { commonError, CommonErrorCode, notFound } from '@wharf/platform/errors';
import type { AuthenticatedRequest } from '../common/auth.guard';
import { UploadSlots } from './upload-slots';

/**
 * Guards run before interceptors, so everything here is decided before the file interceptor
 * writes a single byte of the body to scratch space: the package exists and the caller may see
 * it (else 404), may change it (else 403), it awaits bits (else 422), and the caller has an upload
 * slot free (else 429). Whatever then happens to the request — answered, refused by the
 * controller, or cut off — the scratch file is removed and the slot given back when it ends.
 */
@Injectable()
export class PackageUploadGuard implements CanActivate {
  constructor(
    private readonly packages: PackagesQueryService,
    private readonly slots: UploadSlots,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<AuthenticatedRequest & { file?: { path?: string } }>();
    const res = http.getResponse<Response>();
    const guid = req.params.guid;
    if (!isUuid(guid) || !req.principal) throw notFound('Package');
    const pkg = await this.packages.getPackageToChange(visibilityOf(req.principal), guid);
    if (pkg.state !== 'AWAITING_UPLOAD') {
      throw commonError(
        CommonErrorCode.UnprocessableEntity,
        `Package ${pkg.guid} cannot take bits: its state is ${pkg.state}, not AWAITING_UPLOAD. Create a new package.`,
      );
    }
    const limit = this.config.maxConcurrentUploads;
    const release = this.slots.take(req.principal.userGuid, limit);
    if (!release) {
      throw commonError(
        CommonErrorCode.RateLimitExceeded,
        `You are already uploading ${limit} packages; wait for one of them to finish.`,
      );
    }
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      release();
      const file = req.file?.path;
      if (file) void rm(file, { force: true });
    };
    res.once('finish', end);
    res.once('close', end);
    return true;
  }
}
