import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { IsOptionalNonNull } from '../common/is-optional-non-null.decorator';

export class ProcessScaleRequest {
  @ApiPropertyOptional({ minimum: 0, maximum: 2000 })
  @IsOptionalNonNull()
  @IsInt()
  @Min(0)
  @Max(2000)
  instances?: number;

  @ApiPropertyOptional({ minimum: 1 })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  @Max(1024 * 1024)
  memory_in_mb?: number;

  @ApiPropertyOptional({ minimum: 1 })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  @Max(1024 * 1024)
  disk_in_mb?: number;
}
