import { DomainError, ErrorTable } from '@wharf/platform/errors';

export enum ServicesErrorCode {
  ServiceInstanceNameTaken = 'ServiceInstanceNameTaken',
  ServiceBindingAppServiceTaken = 'ServiceBindingAppServiceTaken',
  InvalidServiceInstance = 'InvalidServiceInstance',
  InvalidBinding = 'InvalidBinding',
}

/** Cloud Foundry's codes and titles. */
export const SERVICES_ERRORS: ErrorTable<ServicesErrorCode> = {
  ServiceInstanceNameTaken: {
    code: 60002,
    title: 'CF-ServiceInstanceNameTaken',
    kind: 'unprocessable',
  },
  ServiceBindingAppServiceTaken: {
    code: 90003,
    title: 'CF-ServiceBindingAppServiceTaken',
    kind: 'unprocessable',
  },
  InvalidServiceInstance: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  InvalidBinding: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
};

export const servicesError = (code: ServicesErrorCode, detail: string): DomainError =>
  DomainError.from(SERVICES_ERRORS, code, detail);
