import { ValidateIf } from 'class-validator';

/**
 * Optional, but not nullable: an absent field skips validation, an explicit null is validated
 * (and refused with 422) instead of reaching the database. class-validator's IsOptional lets both
 * through.
 */
export const IsOptionalNonNull = (): PropertyDecorator =>
  ValidateIf((_object, value) => value !== undefined);
