import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsString, Length, ValidateNested } from 'class-validator';
import { MetadataRequest } from '../common/metadata.request';
import { ToOneRelationshipRequest } from '../common/relationship.request';
import { IsOptionalNonNull } from '../common/is-optional-non-null.decorator';

class SpaceRelationships {
  @ApiProperty({ type: ToOneRelationshipRequest })
  @ValidateNested()
  @Type(() => ToOneRelationshipRequest)
  organization!: ToOneRelationshipRequest;
}

export class SpaceCreateRequest {
  @ApiProperty({ example: 'dev' })
  @IsString()
  @Length(1, 255)
  name!: string;

  @ApiProperty({ type: SpaceRelationships })
  @ValidateNested()
  @Type(() => SpaceRelationships)
  relationships!: SpaceRelationships;

  @ApiPropertyOptional({ type: MetadataRequest })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => MetadataRequest)
  metadata?: MetadataRequest;
}
