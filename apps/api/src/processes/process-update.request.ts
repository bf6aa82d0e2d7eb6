import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptionalNonNull } from '../common/is-optional-non-null.decorator';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

class HealthCheckData {
  @ApiPropertyOptional({ minimum: 1, maximum: 180, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(180)
  timeout?: number | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 60, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  invocation_timeout?: number | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 3600, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3600)
  interval?: number | null;

  @ApiPropertyOptional({ example: '/health', nullable: true })
  @IsOptional()
  @IsString()
  @Matches(/^\//, { message: 'endpoint must start with /' })
  endpoint?: string | null;
}

class HealthCheckRequest {
  @ApiProperty({ enum: ['port', 'http', 'process'] })
  @IsIn(['port', 'http', 'process'])
  type!: 'port' | 'http' | 'process';

  @ApiPropertyOptional({ type: HealthCheckData })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => HealthCheckData)
  data?: HealthCheckData;
}

export class ProcessUpdateRequest {
  @ApiPropertyOptional({ nullable: true, description: 'null: the droplet start command' })
  @IsOptional()
  @IsString()
  @Length(1, 4096)
  command?: string | null;

  @ApiPropertyOptional({ type: HealthCheckRequest })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => HealthCheckRequest)
  health_check?: HealthCheckRequest;
}
