import { Injectable } from '@nestjs/common';
import type { EngineTls } from '@wharf/platform/runtime';
import type { CellEntity } from './cell.entity';
import { CellRepository } from './cell.repository';
import { CellsErrorCode, cellsError } from './cells.errors';

export interface CellRef {
  guid: string;
  name: string;
  dockerEndpoint: string;
  /** For a `tcp://` engine: what ContainerRuntimeFactory.forCell connects with. */
  tls: EngineTls | null;
}

const ref = (cell: CellEntity): CellRef => ({
  guid: cell.guid,
  name: cell.name,
  dockerEndpoint: cell.dockerEndpoint,
  tls: cell.dockerTls,
});

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
      throw cellsError(
        CellsErrorCode.NoCellAvailable,
        'No cell is registered to run containers; `npm run up` registers the local Docker engine.',
      );
    }
    return ref(cell);
  }

  async byGuid(guid: string): Promise<CellRef | null> {
    const cell = (await this.cells.listAll()).find((c) => c.guid === guid);
    return cell ? ref(cell) : null;
  }

  async all(): Promise<CellRef[]> {
    return (await this.cells.listAll()).map(ref);
  }
}
