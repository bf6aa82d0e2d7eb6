import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsString, Length, ValidateNested } from 'class-validator';
import { MetadataRequest } from '../common/metadata.request';
import { IsOptionalNonNull } from '../common/is-optional-non-null.decorator';

export class OrganizationCreateRequest {
  @ApiProperty({ example: 'my-org' })
  @IsString()
  @Length(1, 255)
  name!: string;

  @ApiPropertyOptional()
  @IsOptionalNonNull()
  @IsBoolean()
  suspended?: boolean;

  @ApiPropertyOptional({ type: MetadataRequest })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => MetadataRequest)
  metadata?: MetadataRequest;
}
