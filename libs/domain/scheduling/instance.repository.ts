import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import type { InstanceState } from '@wharf/contracts';
import { InstanceEntity } from './instance.entity';

/** Instances are platform state about apps the callers have already been allowed to see. */
@Injectable()
export class InstanceRepository {
  constructor(
    @InjectRepository(InstanceEntity) private readonly repo: Repository<InstanceEntity>,
  ) {}

  listForApp(appGuid: string): Promise<InstanceEntity[]> {
    return this.repo.find({ where: { appGuid }, order: { processType: 'ASC', index: 'ASC' } });
  }

  listForProcess(processGuid: string): Promise<InstanceEntity[]> {
    return this.repo.find({ where: { processGuid }, order: { index: 'ASC' } });
  }

  findBySlot(processGuid: string, index: number): Promise<InstanceEntity | null> {
    return this.repo.findOneBy({ processGuid, index });
  }

  findByGuid(guid: string): Promise<InstanceEntity | null> {
    return this.repo.findOneBy({ guid });
  }

  findByInstanceGuid(instanceGuid: string): Promise<InstanceEntity | null> {
    return this.repo.findOneBy({ instanceGuid });
  }

  listInStatesUnscoped(states: InstanceState[]): Promise<InstanceEntity[]> {
    return this.repo.find({ where: { state: In(states) } });
  }

  async appGuidsUnscoped(): Promise<string[]> {
    const rows = await this.repo
      .createQueryBuilder('i')
      .select('DISTINCT i.app_guid', 'app_guid')
      .getRawMany<{ app_guid: string }>();
    return rows.map((r) => r.app_guid);
  }

  async usedPorts(cellGuid: string): Promise<Set<number>> {
    const rows = await this.repo.find({ select: { hostPort: true }, where: { cellGuid } });
    return new Set(rows.map((r) => r.hostPort).filter((p): p is number => p !== null));
  }

  create(fields: Partial<InstanceEntity>): InstanceEntity {
    return this.repo.create(fields);
  }

  save(instance: InstanceEntity): Promise<InstanceEntity> {
    return this.repo.save(instance);
  }

  /** Marks a slot for replacement (restart of one instance); false if it is not there. */
  async markStopping(guid: string): Promise<boolean> {
    const result = await this.repo.update({ guid }, { state: 'STOPPING', stateSince: new Date() });
    return (result.affected ?? 0) === 1;
  }

  async delete(guid: string): Promise<void> {
    await this.repo.delete({ guid });
  }
}
