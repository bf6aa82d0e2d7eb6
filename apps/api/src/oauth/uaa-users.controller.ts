import { Body, Controller, HttpCode, Param, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { Principal, UserPasswordChangeAction } from '@wharf/identity';
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

/** UAA's user password endpoint on the token host, as `cf passwd` calls it. */
@ApiTags('oauth')
@ApiBearerAuth()
@Controller('Users')
export class UaaUsersController {
  constructor(private readonly change: UserPasswordChangeAction) {}

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
      userGuid: guid,
      oldPassword: body.oldPassword,
      password: body.password,
    });
    return { status: 'ok', message: 'password updated' };
  }
}
