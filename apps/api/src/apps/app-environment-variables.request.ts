import { ApiProperty } from '@nestjs/swagger';
import { IsObject, ValidateBy } from 'class-validator';

export class AppEnvironmentVariablesRequest {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string', nullable: true } })
  @IsObject()
  @ValidateBy({
    name: 'stringOrNullValues',
    validator: {
      validate: (v: unknown) =>
        typeof v === 'object' &&
        v !== null &&
        Object.values(v).every((x) => x === null || typeof x === 'string'),
      defaultMessage: () => 'var values must be strings, or null to delete a variable',
    },
  })
  var!: Record<string, string | null>;
}
