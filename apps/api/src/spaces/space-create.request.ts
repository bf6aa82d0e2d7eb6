import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { MetadataRequest } from '../common/metadata.request';
import { ToOneRelationshipRequest } from '../common/relationship.request';

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
  @IsOptional()
  @ValidateNested()
  @Type(() => MetadataRequest)
  metadata?: MetadataRequest;
}
