import { Body, Controller, Headers, HttpCode, Ip, Post, Req } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TokenResponse } from '@wharf/contracts';
import { OAuthError, TokenService } from '@wharf/identity';
import type { AuthenticatedRequest } from '../common/auth.guard';
import { Public } from '../common/public.decorator';

const CLIENTS = new Set(['cf', 'wharf']);

type Form = Record<string, unknown>;

/**
 * UAA-compatible token endpoint (what `cf login` talks to): password and refresh_token grants,
 * client authenticated by HTTP Basic (`cf:`) or client_id in the form. Errors use UAA's shape.
 */
@ApiTags('oauth')
@Public()
@Controller('oauth')
export class OAuthController {
  constructor(private readonly tokens: TokenService) {}

  @Post('token')
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOperation({ summary: 'Issue tokens (grant_type=password or refresh_token)' })
  async token(
    @Body() form: Form,
    @Ip() address: string,
    @Headers('authorization') authorization?: string,
  ): Promise<TokenResponse> {
    const clientId = clientOf(form, authorization);
    const grant = field(form, 'grant_type');
    switch (grant) {
      case 'password': {
        const username = field(form, 'username');
        const password = field(form, 'password');
        if (!username || password === undefined) {
          throw new OAuthError('invalid_request', 'username and password are required', 400);
        }
        return this.tokens.passwordGrant(username, password, clientId, address);
      }
      case 'refresh_token': {
        const refresh = field(form, 'refresh_token');
        if (!refresh) throw new OAuthError('invalid_request', 'refresh_token is required', 400);
        return this.tokens.refreshGrant(refresh, clientId);
      }
      case undefined:
        throw new OAuthError('invalid_request', 'Missing grant type', 400);
      default:
        throw new OAuthError('unsupported_grant_type', `Unsupported grant type: ${grant}`, 400);
    }
  }

  @Post('revoke')
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOperation({ summary: 'Revoke a refresh token (RFC 7009); unknown tokens are ignored' })
  async revoke(
    @Body() form: Form,
    @Req() req: AuthenticatedRequest,
    @Headers('authorization') authorization?: string,
  ): Promise<Record<string, never>> {
    clientOf(form, authorization);
    const token = field(form, 'token');
    if (!token) throw new OAuthError('invalid_request', 'token is required', 400);
    await this.tokens.revokeRefreshToken(token, req.requestId);
    return {};
  }
}

function field(form: Form, name: string): string | undefined {
  const v = form?.[name];
  return typeof v === 'string' ? v : undefined;
}

function clientOf(form: Form, authorization: string | undefined): string {
  let clientId = field(form, 'client_id');
  if (authorization?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    clientId = decoded.split(':')[0];
  }
  if (!clientId || !CLIENTS.has(clientId)) {
    throw new OAuthError('invalid_client', 'Bad client credentials', 401);
  }
  return clientId;
}
