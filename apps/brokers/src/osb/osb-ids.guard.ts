import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { requireOsbId } from './osb-ids';

/**
 * Checks every parameter of the URL before any handler runs (every route parameter of the OSB API
 * is an id: instance_id, binding_id), so no route can forget to. A malformed one is OSB's 400
 * naming it; nothing is read or made for it.
 */
@Injectable()
export class OsbIdsGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const params = context.switchToHttp().getRequest<Request>().params as Record<string, unknown>;
    for (const [field, value] of Object.entries(params ?? {})) requireOsbId(field, value);
    return true;
  }
}
