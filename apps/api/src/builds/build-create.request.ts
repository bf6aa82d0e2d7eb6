import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

class PackageReference {
  @ApiProperty()
  @IsUUID()
  guid!: string;
}

class BuildLifecycleData {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  buildpacks?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  stack?: string;
}

class BuildLifecycle {
  @ApiProperty({ enum: ['buildpack'] })
  @IsIn(['buildpack'], { message: "lifecycle type must be 'buildpack'" })
  type!: 'buildpack';

  @ApiPropertyOptional({ type: BuildLifecycleData })
  @IsOptional()
  @ValidateNested()
  @Type(() => BuildLifecycleData)
  data?: BuildLifecycleData;
}

export class BuildCreateRequest {
  @ApiProperty({ type: PackageReference })
  @ValidateNested()
  @Type(() => PackageReference)
  package!: PackageReference;

  @ApiPropertyOptional({ type: BuildLifecycle })
  @IsOptional()
  @ValidateNested()
  @Type(() => BuildLifecycle)
  lifecycle?: BuildLifecycle;

  @ApiPropertyOptional({ description: 'MB, default 1024' })
  @IsOptional()
  @IsInt()
  @Min(64)
  @Max(16384)
  staging_memory_in_mb?: number;

  @ApiPropertyOptional({ description: 'MB, default 4096' })
  @IsOptional()
  @IsInt()
  @Min(64)
  @Max(65536)
  staging_disk_in_mb?: number;
}
