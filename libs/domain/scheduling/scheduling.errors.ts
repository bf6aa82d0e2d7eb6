import { DomainError, ErrorTable } from '@wharf/platform/errors';

export enum SchedulingErrorCode {
  CellUnreachable = 'CellUnreachable',
}

export const SCHEDULING_ERRORS: ErrorTable<SchedulingErrorCode> = {
  CellUnreachable: { code: 10015, title: 'CF-ServiceUnavailable', kind: 'unavailable' },
};

export const schedulingError = (code: SchedulingErrorCode, detail: string): DomainError =>
  DomainError.from(SCHEDULING_ERRORS, code, detail);
