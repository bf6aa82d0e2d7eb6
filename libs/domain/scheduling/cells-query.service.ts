import { Injectable } from '@nestjs/common';
import { CellRepository } from './cell.repository';
import { SchedulingErrorCode, schedulingError } from './scheduling.errors';

export interface CellRef {
  guid: string;
  name: string;
  dockerEndpoint: string;
}

/** Where staging and instances run. */
@Injectable()
export class CellsQueryService {
  constructor(private readonly cells: CellRepository) {}

  /**
   * The cell for new work. Every placement goes to the first enabled cell by name: one cell is
   * what this release supports (spreading by free memory comes with more cells).
   */
  async placementCell(): Promise<CellRef> {
    const cell = (await this.cells.listAll()).find((c) => c.enabled);
    if (!cell) {
      throw schedulingError(
        SchedulingErrorCode.NoCellAvailable,
        'No cell is registered to run containers; `npm run up` registers the local Docker engine.',
      );
    }
    return { guid: cell.guid, name: cell.name, dockerEndpoint: cell.dockerEndpoint };
  }

  async byGuid(guid: string): Promise<CellRef | null> {
    const cell = (await this.cells.listAll()).find((c) => c.guid === guid);
    return cell ? { guid: cell.guid, name: cell.name, dockerEndpoint: cell.dockerEndpoint } : null;
  }

  async all(): Promise<CellRef[]> {
    return (await this.cells.listAll()).map((c) => ({
      guid: c.guid,
      name: c.name,
      dockerEndpoint: c.dockerEndpoint,
    }));
  }
}
