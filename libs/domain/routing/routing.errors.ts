import { DomainError, ErrorTable } from '@wharf/platform/errors';

export enum RoutingErrorCode {
  InvalidRoute = 'InvalidRoute',
  RouteExists = 'RouteExists',
  InvalidDomain = 'InvalidDomain',
  DomainExists = 'DomainExists',
  InvalidDestination = 'InvalidDestination',
  NotAuthorized = 'NotAuthorized',
  OrgQuotaTotalRoutesExceeded = 'OrgQuotaTotalRoutesExceeded',
  SpaceQuotaTotalRoutesExceeded = 'SpaceQuotaTotalRoutesExceeded',
}

export const ROUTING_ERRORS: ErrorTable<RoutingErrorCode> = {
  InvalidRoute: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  RouteExists: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  InvalidDomain: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  DomainExists: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  InvalidDestination: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  NotAuthorized: { code: 10003, title: 'CF-NotAuthorized', kind: 'forbidden' },
  OrgQuotaTotalRoutesExceeded: {
    code: 310006,
    title: 'CF-OrgQuotaTotalRoutesExceeded',
    kind: 'unprocessable',
  },
  SpaceQuotaTotalRoutesExceeded: {
    code: 310005,
    title: 'CF-SpaceQuotaTotalRoutesExceeded',
    kind: 'unprocessable',
  },
};

export const routingError = (code: RoutingErrorCode, detail: string): DomainError =>
  DomainError.from(ROUTING_ERRORS, code, detail);
