import { Inject, Injectable } from '@nestjs/common';
import pLimit from 'p-limit';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';

/**
 * How many instance containers this process creates, starts or stops at once on one cell
 * (`WHARF_CELL_CONCURRENCY`), shared by every app's convergence: the engine answers a few calls
 * at once well, and a scale to hundreds only queues inside it beyond that.
 */
@Injectable()
export class CellConcurrency {
  private readonly limits = new Map<string, pLimit.Limit>();

  constructor(@Inject(WHARF_CONFIG) private readonly config: WharfConfig) {}

  run<T>(cellGuid: string, work: () => Promise<T>): Promise<T> {
    let limit = this.limits.get(cellGuid);
    if (!limit) {
      limit = pLimit(this.config.scheduling.cellConcurrency);
      this.limits.set(cellGuid, limit);
    }
    return limit(work);
  }
}
