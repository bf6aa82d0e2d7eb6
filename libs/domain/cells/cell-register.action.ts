import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  CONTAINER_RUNTIME_FACTORY,
  ContainerRuntimeFactory,
  dockerEndpointProblem,
  EngineTls,
} from '@wharf/platform/runtime';
import { CellEntity } from './cell.entity';
import { CellRepository } from './cell.repository';
import { CellsErrorCode, cellsError } from './cells.errors';

export interface CellRegisterInput {
  name: string;
  dockerEndpoint: string;
  /** Required for a `tcp://` endpoint that is not loopback; stored sealed with the cell. */
  tls?: EngineTls;
  /** Defaults to what the engine reports. */
  memoryCapacityMb?: number;
  diskCapacityMb?: number;
  maxContainers?: number;
}

/**
 * Registers a Docker host as a cell, or updates it; the engine must answer first. Plain TCP is
 * refused to anything but loopback: the Docker API is root on its host.
 */
@Injectable()
export class CellRegisterAction {
  constructor(
    private readonly cells: CellRepository,
    @Inject(CONTAINER_RUNTIME_FACTORY) private readonly runtimes: ContainerRuntimeFactory,
  ) {}

  async execute(input: CellRegisterInput): Promise<{ cell: CellEntity; created: boolean }> {
    const tls = input.tls ?? null;
    const problem = dockerEndpointProblem(input.dockerEndpoint, tls);
    if (problem) {
      throw cellsError(CellsErrorCode.CellEndpointRefused, `cell ${input.name}: ${problem}`);
    }
    const runtime = this.runtimes.forEndpoint(input.dockerEndpoint, tls);
    const info = await runtime.info().catch((err: Error) => {
      throw cellsError(
        CellsErrorCode.CellUnreachable,
        `Docker engine at ${input.dockerEndpoint} does not answer: ${err.message}`,
      );
    });
    const existing = await this.cells.findByName(input.name);
    const cell =
      existing ?? this.cells.create({ guid: randomUUID(), name: input.name, enabled: true });
    cell.dockerEndpoint = input.dockerEndpoint;
    cell.dockerTls = tls;
    cell.memoryCapacityMb = input.memoryCapacityMb ?? Math.floor(info.memoryBytes / 1024 / 1024);
    cell.diskCapacityMb = input.diskCapacityMb ?? cell.diskCapacityMb ?? 100 * 1024;
    cell.maxContainers = input.maxContainers ?? cell.maxContainers ?? 250;
    return { cell: await this.cells.save(cell), created: !existing };
  }
}
