import { DomainError, ErrorTable } from '@wharf/platform/errors';

export enum ServicesErrorCode {
  ServiceInstanceQuotaExceeded = 'ServiceInstanceQuotaExceeded',
  ServiceInstanceSpaceQuotaExceeded = 'ServiceInstanceSpaceQuotaExceeded',
  ServiceInstanceServicePlanNotAllowed = 'ServiceInstanceServicePlanNotAllowed',
  ServiceInstanceServicePlanNotAllowedBySpaceQuota = 'ServiceInstanceServicePlanNotAllowedBySpaceQuota',
  ServiceInstanceNameTaken = 'ServiceInstanceNameTaken',
  ServiceBindingAppServiceTaken = 'ServiceBindingAppServiceTaken',
  ServiceKeyNameTaken = 'ServiceKeyNameTaken',
  InvalidServiceInstance = 'InvalidServiceInstance',
  InvalidBinding = 'InvalidBinding',
  InvalidServiceBroker = 'InvalidServiceBroker',
  ServiceBrokerNameTaken = 'ServiceBrokerNameTaken',
  ServiceBrokerNotRemovable = 'ServiceBrokerNotRemovable',
  ServiceBrokerCatalogInvalid = 'ServiceBrokerCatalogInvalid',
  ServiceBrokerUnreachable = 'ServiceBrokerUnreachable',
  ServiceBrokerRequestRejected = 'ServiceBrokerRequestRejected',
  OperationInProgress = 'OperationInProgress',
  AssociationNotEmpty = 'AssociationNotEmpty',
  UnableToPerform = 'UnableToPerform',
  AdminOnly = 'AdminOnly',
}

/** Cloud Foundry's codes and titles. */
export const SERVICES_ERRORS: ErrorTable<ServicesErrorCode> = {
  ServiceInstanceQuotaExceeded: {
    code: 60005,
    title: 'CF-ServiceInstanceQuotaExceeded',
    kind: 'unprocessable',
  },
  ServiceInstanceSpaceQuotaExceeded: {
    code: 60012,
    title: 'CF-ServiceInstanceSpaceQuotaExceeded',
    kind: 'unprocessable',
  },
  ServiceInstanceServicePlanNotAllowed: {
    code: 60007,
    title: 'CF-ServiceInstanceServicePlanNotAllowed',
    kind: 'unprocessable',
  },
  ServiceInstanceServicePlanNotAllowedBySpaceQuota: {
    code: 60013,
    title: 'CF-ServiceInstanceServicePlanNotAllowedBySpaceQuota',
    kind: 'unprocessable',
  },
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
  ServiceKeyNameTaken: { code: 360001, title: 'CF-ServiceKeyNameTaken', kind: 'unprocessable' },
  InvalidServiceInstance: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  InvalidBinding: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  InvalidServiceBroker: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  ServiceBrokerNameTaken: {
    code: 270003,
    title: 'CF-ServiceBrokerNameTaken',
    kind: 'unprocessable',
  },
  ServiceBrokerNotRemovable: {
    code: 270010,
    title: 'CF-ServiceBrokerNotRemovable',
    kind: 'unprocessable',
  },
  ServiceBrokerCatalogInvalid: {
    code: 270012,
    title: 'CF-ServiceBrokerCatalogInvalid',
    kind: 'unprocessable',
  },
  ServiceBrokerUnreachable: {
    code: 10001,
    title: 'CF-ServiceBrokerUnreachable',
    kind: 'unavailable',
  },
  ServiceBrokerRequestRejected: {
    code: 10001,
    title: 'CF-ServiceBrokerRequestRejected',
    kind: 'unprocessable',
  },
  OperationInProgress: {
    code: 60016,
    title: 'CF-AsyncServiceInstanceOperationInProgress',
    kind: 'conflict',
  },
  AssociationNotEmpty: { code: 10006, title: 'CF-AssociationNotEmpty', kind: 'unprocessable' },
  UnableToPerform: { code: 10009, title: 'CF-UnableToPerform', kind: 'unprocessable' },
  AdminOnly: { code: 10003, title: 'CF-NotAuthorized', kind: 'forbidden' },
};

export const servicesError = (code: ServicesErrorCode, detail: string): DomainError =>
  DomainError.from(SERVICES_ERRORS, code, detail);
