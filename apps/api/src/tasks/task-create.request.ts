import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsOptionalNonNull } from '../common/is-optional-non-null.decorator';
import { MetadataRequest } from '../common/metadata.request';

class GuidReference {
  @ApiProperty()
  @IsUUID()
  guid!: string;
}

class TaskTemplate {
  @ApiProperty({
    type: GuidReference,
    description: 'The process whose command, memory and disk are the defaults',
  })
  @ValidateNested()
  @Type(() => GuidReference)
  process!: GuidReference;
}

/** POST /v3/apps/:guid/tasks: CF's body. */
export class TaskCreateRequest {
  @ApiPropertyOptional({ description: 'Required unless a template process gives it' })
  @IsOptionalNonNull()
  @IsString({ message: 'Command must be a string' })
  command?: string;

  @ApiPropertyOptional({ description: 'Default: 8 random hexadecimal digits' })
  @IsOptionalNonNull()
  @IsString({ message: 'Name must be a string' })
  @MaxLength(255, { message: 'Name is too long (maximum is 255 characters)' })
  name?: string;

  @ApiPropertyOptional({ description: "Default: 1024, or the template process's" })
  @IsOptionalNonNull()
  @IsInt({ message: 'Memory in mb must be an integer greater than 0' })
  @Min(1, { message: 'Memory in mb must be an integer greater than 0' })
  @Max(1_048_576, { message: 'Memory in mb must be at most 1048576' })
  memory_in_mb?: number;

  @ApiPropertyOptional({ description: "Default: 1024, or the template process's" })
  @IsOptionalNonNull()
  @IsInt({ message: 'Disk in mb must be an integer greater than 0' })
  @Min(1, { message: 'Disk in mb must be an integer greater than 0' })
  @Max(1_048_576, { message: 'Disk in mb must be at most 1048576' })
  disk_in_mb?: number;

  @ApiPropertyOptional({ description: "Default: the app's current droplet" })
  @IsOptionalNonNull()
  @IsUUID(undefined, { message: 'Droplet guid must be a guid' })
  droplet_guid?: string;

  @ApiPropertyOptional({ type: TaskTemplate })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => TaskTemplate)
  template?: TaskTemplate;

  @ApiPropertyOptional({ type: MetadataRequest })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => MetadataRequest)
  metadata?: MetadataRequest;
}

/** PATCH /v3/tasks/:guid: metadata only. */
export class TaskUpdateRequest {
  @ApiPropertyOptional({ type: MetadataRequest })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => MetadataRequest)
  metadata?: MetadataRequest;
}
