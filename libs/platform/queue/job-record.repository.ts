import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { CfError } from '@wharf/contracts';
import { JobRecordEntity } from './job-record.entity';

export interface JobRecordInput {
  operation: string;
  resourceType: string;
  resourceGuid: string;
  userGuid: string | null;
}

@Injectable()
export class JobRecordRepository {
  constructor(
    @InjectRepository(JobRecordEntity) private readonly repo: Repository<JobRecordEntity>,
  ) {}

  /** With `manager`, in that transaction. */
  async create(input: JobRecordInput, manager?: EntityManager): Promise<JobRecordEntity> {
    return this.insert('PROCESSING', input, manager);
  }

  /**
   * The job of an operation the API finished within the request: CF answers some of those with
   * 202 and a job (route and quota deletes, apply_manifest), which is COMPLETE from the start.
   * With `manager`, in that transaction.
   */
  async recordCompleted(input: JobRecordInput, manager?: EntityManager): Promise<JobRecordEntity> {
    return this.insert('COMPLETE', input, manager);
  }

  private insert(
    state: JobRecordEntity['state'],
    input: JobRecordInput,
    manager?: EntityManager,
  ): Promise<JobRecordEntity> {
    const repo = manager?.getRepository(JobRecordEntity) ?? this.repo;
    return repo.save(
      repo.create({ guid: randomUUID(), state, errors: [], warnings: [], ...input }),
    );
  }

  /** A job is visible to the user who started it; admins read with findByGuidUnscoped. */
  findForUser(guid: string, userGuid: string): Promise<JobRecordEntity | null> {
    return this.repo.findOneBy({ guid, userGuid });
  }

  findByGuidUnscoped(guid: string): Promise<JobRecordEntity | null> {
    return this.repo.findOneBy({ guid });
  }

  /** Waiting on another system (a service broker's asynchronous operation). */
  async polling(guid: string): Promise<void> {
    await this.repo.update({ guid, state: 'PROCESSING' }, { state: 'POLLING' });
  }

  async complete(guid: string): Promise<void> {
    await this.repo.update({ guid }, { state: 'COMPLETE' });
  }

  async fail(guid: string, error: CfError): Promise<void> {
    await this.repo.update({ guid }, { state: 'FAILED', errors: [error] });
  }
}
