import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { ORGANIZATION_ROLE_TYPES, SPACE_ROLE_TYPES } from '@wharf/identity';
import { IsOptionalNonNull } from '../common/is-optional-non-null.decorator';
import { ToOneRelationshipRequest } from '../common/relationship.request';

export const ROLE_TYPES = [...ORGANIZATION_ROLE_TYPES, ...SPACE_ROLE_TYPES];

/** A user by guid, or by username and origin (`cf set-org-role` sends the latter). */
class UserReference {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  guid?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 255)
  username?: string;

  @ApiPropertyOptional({ example: 'uaa' })
  @IsOptional()
  @IsString()
  origin?: string;
}

class UserRelationship {
  @ApiProperty({ type: UserReference })
  @ValidateNested()
  @Type(() => UserReference)
  data!: UserReference;
}

class RoleRelationships {
  @ApiProperty({ type: UserRelationship })
  @ValidateNested()
  @Type(() => UserRelationship)
  user!: UserRelationship;

  @ApiPropertyOptional({ type: ToOneRelationshipRequest })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => ToOneRelationshipRequest)
  organization?: ToOneRelationshipRequest;

  @ApiPropertyOptional({ type: ToOneRelationshipRequest })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => ToOneRelationshipRequest)
  space?: ToOneRelationshipRequest;
}

export class RoleCreateRequest {
  @ApiProperty({ enum: ROLE_TYPES })
  @IsIn(ROLE_TYPES, { message: `Type must be one of: ${ROLE_TYPES.join(', ')}` })
  type!: (typeof ROLE_TYPES)[number];

  @ApiProperty({ type: RoleRelationships })
  @ValidateNested()
  @Type(() => RoleRelationships)
  relationships!: RoleRelationships;
}
