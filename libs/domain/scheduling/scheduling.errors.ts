import { DomainError, ErrorTable } from '@wharf/platform/errors';

export enum SchedulingErrorCode {
  CellEndpointRefused = 'CellEndpointRefused',
  CellUnreachable = 'CellUnreachable',
  NoCellAvailable = 'NoCellAvailable',
}

export const SCHEDULING_ERRORS: ErrorTable<SchedulingErrorCode> = {
  CellEndpointRefused: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  CellUnreachable: { code: 10015, title: 'CF-ServiceUnavailable', kind: 'unavailable' },
  NoCellAvailable: { code: 170008, title: 'CF-InsufficientResources', kind: 'unavailable' },
};

export const schedulingError = (code: SchedulingErrorCode, detail: string): DomainError =>
  DomainError.from(SCHEDULING_ERRORS, code, detail);
