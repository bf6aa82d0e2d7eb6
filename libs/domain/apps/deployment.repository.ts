import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { findPage, Page, PageRequest } from '@wharf/platform/db';
import { DeploymentEntity, DeploymentStatusReason } from './deployment.entity';

export interface DeploymentFilter {
  appGuids?: string[];
  guids?: string[];
  statusValues?: string[];
  statusReasons?: string[];
}

@Injectable()
export class DeploymentRepository {
  constructor(
    @InjectRepository(DeploymentEntity) private readonly repo: Repository<DeploymentEntity>,
  ) {}

  private of(manager?: EntityManager): Repository<DeploymentEntity> {
    return manager?.getRepository(DeploymentEntity) ?? this.repo;
  }

  create(fields: Partial<DeploymentEntity>): DeploymentEntity {
    return this.repo.create(fields);
  }

  save(deployment: DeploymentEntity, manager?: EntityManager): Promise<DeploymentEntity> {
    return this.of(manager).save(deployment);
  }

  /** Unscoped: callers check the deployment's app against the caller's visibility. */
  findByGuidUnscoped(guid: string, manager?: EntityManager): Promise<DeploymentEntity | null> {
    return this.of(manager).findOneBy({ guid });
  }

  /** The app's ACTIVE deployment (at most one: a new one supersedes it). */
  findActive(appGuid: string, manager?: EntityManager): Promise<DeploymentEntity | null> {
    return this.of(manager).findOne({
      where: { appGuid, statusValue: 'ACTIVE' },
      order: { createdAt: 'DESC' },
    });
  }

  /**
   * Moves the deployment from one of `from` (ACTIVE) to `to`, in one conditional UPDATE: false
   * when it is no longer in `from` (a user and the scheduler may act on it at once).
   */
  async transition(
    guid: string,
    from: DeploymentStatusReason[],
    to: Partial<
      Pick<
        DeploymentEntity,
        'statusValue' | 'statusReason' | 'promoted' | 'error' | 'lastHealthyAt'
      >
    >,
    manager?: EntityManager,
  ): Promise<boolean> {
    const result = await this.of(manager).update(
      { guid, statusValue: 'ACTIVE', statusReason: In(from) },
      { ...to, ...(to.statusReason ? { statusUpdatedAt: new Date() } : {}) },
    );
    return (result.affected ?? 0) === 1;
  }

  /** Ends every ACTIVE deployment of the app with `reason`, in one UPDATE. */
  async finalizeActive(
    appGuid: string,
    reason: DeploymentStatusReason,
    manager: EntityManager,
  ): Promise<void> {
    await this.of(manager).update(
      { appGuid, statusValue: 'ACTIVE' },
      { statusValue: 'FINALIZED', statusReason: reason, statusUpdatedAt: new Date() },
    );
  }

  /** Deployments of the given apps (already narrowed to what the caller may see). */
  listPage(
    appGuids: string[] | 'all',
    filter: DeploymentFilter,
    page: PageRequest,
  ): Promise<Page<DeploymentEntity>> {
    const apps =
      appGuids === 'all'
        ? filter.appGuids
        : filter.appGuids
          ? appGuids.filter((g) => filter.appGuids?.includes(g))
          : appGuids;
    if (apps && apps.length === 0) return findPage(this.repo, [], page);
    return findPage(
      this.repo,
      [
        {
          ...(apps ? { appGuid: In(apps) } : {}),
          ...(filter.guids ? { guid: In(filter.guids) } : {}),
          ...(filter.statusValues ? { statusValue: In(filter.statusValues) } : {}),
          ...(filter.statusReasons ? { statusReason: In(filter.statusReasons) } : {}),
        },
      ],
      page,
    );
  }

  async deleteForApp(appGuid: string): Promise<void> {
    await this.repo.delete({ appGuid });
  }
}
