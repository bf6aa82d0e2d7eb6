import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';

export class AppFeatureUpdateRequest {
  @ApiProperty()
  @IsBoolean()
  enabled!: boolean;
}
