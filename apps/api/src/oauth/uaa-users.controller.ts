import { Body, Controller, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { notAuthorized, Principal, visibilityOf } from '@wharf/access';
import { IdentityQueryService, UserCreateAction, UserPasswordChangeAction } from '@wharf/identity';
import { actorOf } from '../common/actor';
import { GuidPipe } from '../common/guid.pipe';
import { CurrentPrincipal } from '../common/principal.decorator';

export class PasswordChangeRequest {
  @ApiPropertyOptional({
    description: 'The current password (required unless an admin sets another user’s)',
  })
  @IsOptional()
  @IsString()
  oldPassword?: string;

  @ApiProperty()
  @IsString()
  password!: string;
}

export class ScimUserCreateRequest {
  @ApiProperty({ example: 'alice' })
  @IsString()
  @Length(1, 255)
  userName!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 1024)
  password!: string;
}

/** UAA's user password endpoint on the token host, as `cf passwd` calls it. */
@ApiTags('oauth')
@ApiBearerAuth()
@Controller('Users')
export class UaaUsersController {
  constructor(
    private readonly change: UserPasswordChangeAction,
    private readonly createUser: UserCreateAction,
    private readonly query: IdentityQueryService,
  ) {}

  /** SCIM user creation, as `cf create-user` calls it (admins); a taken name is UAA's 409. */
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a user login (admins)' })
  async create(
    @CurrentPrincipal() p: Principal,
    @Body() body: ScimUserCreateRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown>> {
    if (!visibilityOf(p).all) throw notAuthorized();
    // UAA's answer to a taken name (the action's own check answers CF's 422 to other callers).
    if (await this.query.findUserByName(p, body.userName)) {
      res.status(409);
      return {
        error: 'scim_resource_already_exists',
        error_description: `Username already in use: ${body.userName}`,
        message: `Username already in use: ${body.userName}`,
      };
    }
    const user = await this.createUser.execute({
      username: body.userName,
      password: body.password,
      admin: false,
      actor: actorOf(p),
    });
    return {
      schemas: ['urn:scim:schemas:core:1.0'],
      id: user.guid,
      userName: user.username,
      origin: user.origin,
      active: true,
      verified: true,
      emails: [],
      meta: {
        version: 0,
        created: user.createdAt.toISOString(),
        lastModified: user.updatedAt.toISOString(),
      },
    };
  }

  @Put(':guid/password')
  @HttpCode(200)
  @ApiOperation({ summary: "Change a user's password; revokes the user's refresh tokens" })
  async password(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('User')) guid: string,
    @Body() body: PasswordChangeRequest,
  ): Promise<{ status: string; message: string }> {
    await this.change.execute({
      principal: p,
      actor: actorOf(p),
      userGuid: guid,
      oldPassword: body.oldPassword,
      password: body.password,
    });
    return { status: 'ok', message: 'password updated' };
  }
}
