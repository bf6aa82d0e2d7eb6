import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Principal } from '@wharf/access';
import { CommonErrorCode, commonError } from '@wharf/platform/errors';
import type { AuthenticatedRequest } from './auth.guard';

/** The authenticated caller; only valid on routes behind the AuthGuard. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => {
    const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) throw commonError(CommonErrorCode.NotAuthenticated, 'Authentication error');
    return principal;
  },
);
