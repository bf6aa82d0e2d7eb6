import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { isUuid } from '@wharf/platform/db';
import { notFound } from '@wharf/platform/errors';

/**
 * Guards run before interceptors: an upload to a guid that cannot exist is refused before the
 * file interceptor writes a single byte to scratch space.
 */
@Injectable()
export class PackageGuidGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const guid = context.switchToHttp().getRequest<Request>().params.guid;
    if (!isUuid(guid)) throw notFound('Package');
    return true;
  }
}
