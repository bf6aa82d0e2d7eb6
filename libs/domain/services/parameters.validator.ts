import { Injectable, Logger } from '@nestjs/common';
import Ajv, { ValidateFunction } from 'ajv';
import { ServicesErrorCode, servicesError } from './services.errors';

/**
 * Checks request parameters against a plan's JSON schema (OSB `schemas`), as Cloud Foundry does
 * before calling the broker, so a user learns what is wrong without a round trip. A schema the
 * broker got wrong (one that does not compile) is not held against the user: it is skipped and
 * logged, and the broker judges the parameters itself.
 */
@Injectable()
export class ParametersValidator {
  private readonly logger = new Logger('ParametersValidator');
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  private readonly cache = new Map<string, ValidateFunction | null>();

  check(
    schema: object | undefined,
    parameters: Record<string, unknown> | undefined,
    what: 'service instance' | 'service binding',
  ): void {
    if (!schema || Object.keys(schema).length === 0) return;
    const validate = this.compile(schema);
    if (!validate || validate(parameters ?? {})) return;
    const problems = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || 'parameters'} ${e.message ?? 'is invalid'}`.trim());
    throw servicesError(
      what === 'service binding'
        ? ServicesErrorCode.InvalidBinding
        : ServicesErrorCode.InvalidServiceInstance,
      `Invalid ${what} parameters: ${problems.join('; ')}.`,
    );
  }

  private compile(schema: object): ValidateFunction | null {
    // The meta-schema reference is informational here; Ajv would insist on knowing it.
    const { $schema: _ignored, ...rest } = schema as Record<string, unknown>;
    const key = JSON.stringify(rest);
    if (this.cache.has(key)) return this.cache.get(key) ?? null;
    let fn: ValidateFunction | null = null;
    try {
      fn = this.ajv.compile(rest);
    } catch (err) {
      this.logger.warn(`a plan's parameter schema does not compile: ${(err as Error).message}`);
    }
    this.cache.set(key, fn);
    return fn;
  }
}
