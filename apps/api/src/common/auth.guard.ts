import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { Principal } from '@wharf/access';
import { TokenService } from '@wharf/identity';
import { CommonErrorCode, commonError } from '@wharf/platform/errors';
import { IS_PUBLIC } from './public.decorator';

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
  /** Set by requestIdMiddleware before anything else. */
  requestId?: string;
}

/** Verifies the bearer token of a request: missing → CF-NotAuthenticated, bad → CF-InvalidAuthToken. */
export async function authenticate(
  req: AuthenticatedRequest,
  tokens: TokenService,
): Promise<Principal> {
  if (req.principal) return req.principal;
  const header = req.headers.authorization;
  if (!header) throw commonError(CommonErrorCode.NotAuthenticated, 'Authentication error');
  const match = /^bearer\s+(\S+)$/i.exec(header.trim());
  if (!match?.[1]) throw commonError(CommonErrorCode.InvalidAuthToken, 'Invalid Auth Token');
  req.principal = { ...(await tokens.authenticate(match[1])), requestId: req.requestId };
  return req.principal;
}

/**
 * Express middleware for everything under /v3, matched route or not, so that an unauthenticated
 * caller learns nothing about which paths exist (401 before 404, as in Cloud Foundry).
 */
export function v3AuthMiddleware(
  tokens: TokenService,
  onError: (err: unknown, res: Response) => void,
) {
  return (req: AuthenticatedRequest, res: Response, next: NextFunction): void => {
    // The v3 root document itself is public: clients read it before they log in (cf api).
    if (req.path === '/' && req.method === 'GET') return next();
    authenticate(req, tokens).then(
      () => next(),
      (err: unknown) => onError(err, res),
    );
  };
}

/**
 * Every route needs a valid bearer token unless marked @Public(). Authentication only: what a caller
 * may see and change is decided in actions through Visibility (roles slot in there).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    await authenticate(context.switchToHttp().getRequest<AuthenticatedRequest>(), this.tokens);
    return true;
  }
}
