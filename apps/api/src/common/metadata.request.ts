import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy, ValidationOptions } from 'class-validator';

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** CF metadata maps: keys like `prefix/name`, values strings (null deletes on update). */
function IsMetadataMap(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMetadataMap',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.entries(value as Record<string, unknown>).every(
            ([k, v]) => KEY.test(k) && (v === null || (typeof v === 'string' && v.length <= 5000)),
          ),
        defaultMessage: () =>
          '$property must be an object of keys (a DNS prefix and "/" optional, then up to 63 alphanumerics, "-", "_" or ".") to string or null values',
      },
    },
    options,
  );
}

export class MetadataRequest {
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string', nullable: true } })
  @IsOptional()
  @IsMetadataMap()
  labels?: Record<string, string | null>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string', nullable: true } })
  @IsOptional()
  @IsMetadataMap()
  annotations?: Record<string, string | null>;
}
