import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { InstanceState } from '@wharf/contracts';
import { InstanceEntity } from './instance.entity';

/** What a stats answer shows of one instance: the columns it needs, read as plain rows. */
export type InstanceStatsRow = Pick<
  InstanceEntity,
  | 'index'
  | 'instanceGuid'
  | 'cellGuid'
  | 'containerId'
  | 'dropletGuid'
  | 'state'
  | 'stateSince'
  | 'hostPort'
  | 'containerIp'
  | 'details'
>;

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

  /**
   * The instances of a process for its stats, by index. Plain rows, not entities: stats are
   * polled (by a push, `wharf app`, dashboards) and building 200 entities was a third of an
   * answer's CPU.
   */
  statsRowsForProcess(processGuid: string): Promise<InstanceStatsRow[]> {
    return this.repo.query(
      `SELECT "index", instance_guid AS "instanceGuid", cell_guid AS "cellGuid",
              container_id AS "containerId", droplet_guid AS "dropletGuid", state,
              state_since AS "stateSince", host_port AS "hostPort",
              container_ip AS "containerIp", details
         FROM instances WHERE process_guid = $1 ORDER BY "index"`,
      [processGuid],
    );
  }

  findBySlot(
    processGuid: string,
    appVersion: string,
    index: number,
  ): Promise<InstanceEntity | null> {
    return this.repo.findOneBy({ processGuid, appVersion, index });
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

  /** Several rows in one transaction (a launch of many instances at once). */
  saveAll(instances: InstanceEntity[]): Promise<InstanceEntity[]> {
    return this.repo.save(instances);
  }

  /** The container (and its address) of the slot's current instance: one UPDATE, no read. */
  async recordContainer(row: InstanceEntity): Promise<void> {
    await this.repo.update(
      { guid: row.guid, instanceGuid: row.instanceGuid },
      { containerId: row.containerId, containerIp: row.containerIp },
    );
  }

  /**
   * Starting instances that passed their health check are healthy (routable), in one UPDATE; only
   * those still STARTING with the same instance (not stopped, crashed or replaced meanwhile) and
   * not healthy yet. Returns the rows changed.
   */
  markHealthy(instanceGuids: string[], at: Date): Promise<InstanceEntity[]> {
    return this.updateStarting(instanceGuids, { healthySince: at, details: null }, 'IS NULL');
  }

  /**
   * Healthy starting instances that the router has taken in become RUNNING, in one UPDATE; running
   * since they turned healthy, when the router began to send them requests.
   */
  markRunning(instanceGuids: string[]): Promise<InstanceEntity[]> {
    return this.updateStarting(
      instanceGuids,
      { state: 'RUNNING', stateSince: () => 'healthy_since' },
      'IS NOT NULL',
    );
  }

  private async updateStarting(
    instanceGuids: string[],
    set: QueryDeepPartialEntity<InstanceEntity>,
    healthy: 'IS NULL' | 'IS NOT NULL',
  ): Promise<InstanceEntity[]> {
    if (instanceGuids.length === 0) return [];
    const result = await this.repo
      .createQueryBuilder()
      .update(InstanceEntity)
      .set(set)
      .where('instance_guid IN (:...guids)', { guids: instanceGuids })
      .andWhere("state = 'STARTING'")
      .andWhere(`healthy_since ${healthy}`)
      .returning('*')
      .execute();
    return (result.raw as Record<string, unknown>[]).map((raw) =>
      this.repo.create({
        guid: raw.guid as string,
        appGuid: raw.app_guid as string,
        instanceGuid: raw.instance_guid as string,
        index: raw.index as number,
        processType: raw.process_type as string,
      }),
    );
  }

  /** Marks slots for removal in one UPDATE (a scale-down or stop of many at once). */
  async markStoppingAll(guids: string[], at: Date): Promise<void> {
    if (guids.length === 0) return;
    await this.repo.update({ guid: In(guids) }, { state: 'STOPPING', stateSince: at });
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
