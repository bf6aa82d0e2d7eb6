import { ValidationError, ValidationPipe } from '@nestjs/common';
import { CommonErrorCode, commonError } from '@wharf/platform/errors';

/**
 * Request bodies are validated against DTO classes; unknown fields are refused like CF does
 * ("Unknown field(s): 'x'"), and every problem becomes one 422 CF-UnprocessableEntity.
 */
export function cfValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validateCustomDecorators: false,
    exceptionFactory: (errors: ValidationError[]) =>
      commonError(CommonErrorCode.UnprocessableEntity, describe(errors).join(', ')),
  });
}

export function describe(errors: ValidationError[], prefix = ''): string[] {
  const unknown: string[] = [];
  const messages: string[] = [];
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    for (const [rule, message] of Object.entries(e.constraints ?? {})) {
      if (rule === 'whitelistValidation') unknown.push(path);
      else messages.push(message.replace(e.property, path));
    }
    if (e.children?.length) messages.push(...describe(e.children, path));
  }
  return unknown.length ? [`Unknown field(s): '${unknown.join("', '")}'`, ...messages] : messages;
}
