import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { MetadataRequest } from '../common/metadata.request';

class GuidRef {
  @ApiProperty()
  @IsUUID()
  guid!: string;
}

class ToOne {
  @ApiProperty({ type: GuidRef })
  @ValidateNested()
  @Type(() => GuidRef)
  data!: GuidRef;
}

class SpaceRelationships {
  @ApiProperty({ type: ToOne })
  @ValidateNested()
  @Type(() => ToOne)
  organization!: ToOne;
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
