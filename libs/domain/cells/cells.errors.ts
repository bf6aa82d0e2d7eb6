import { DomainError, ErrorTable } from '@wharf/platform/errors';

export enum CellsErrorCode {
  CellEndpointRefused = 'CellEndpointRefused',
  CellUnreachable = 'CellUnreachable',
  NoCellAvailable = 'NoCellAvailable',
}

export const CELLS_ERRORS: ErrorTable<CellsErrorCode> = {
  CellEndpointRefused: { code: 10008, title: 'CF-UnprocessableEntity', kind: 'unprocessable' },
  CellUnreachable: { code: 10015, title: 'CF-ServiceUnavailable', kind: 'unavailable' },
  NoCellAvailable: { code: 170008, title: 'CF-InsufficientResources', kind: 'unavailable' },
};

export const cellsError = (code: CellsErrorCode, detail: string): DomainError =>
  DomainError.from(CELLS_ERRORS, code, detail);
