import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { findPage, Page, PageRequest } from '@wharf/platform/db';
import { RevisionEntity } from './revision.entity';

@Injectable()
export class RevisionRepository {
  constructor(
    @InjectRepository(RevisionEntity) private readonly repo: Repository<RevisionEntity>,
  ) {}

  private of(manager?: EntityManager): Repository<RevisionEntity> {
    return manager?.getRepository(RevisionEntity) ?? this.repo;
  }

  /** The app's newest revision (the last one made), with `manager` in that transaction. */
  latest(appGuid: string, manager?: EntityManager): Promise<RevisionEntity | null> {
    return this.of(manager).findOne({
      where: { appGuid },
      order: { createdAt: 'DESC', version: 'DESC' },
    });
  }

  create(fields: Partial<RevisionEntity>): RevisionEntity {
    return this.repo.create(fields);
  }

  /** Saves a new revision in place of any older one with its version (after a wrap at 9999). */
  async add(revision: RevisionEntity, manager: EntityManager): Promise<RevisionEntity> {
    await this.of(manager).delete({ appGuid: revision.appGuid, version: revision.version });
    return this.of(manager).save(revision);
  }

  save(revision: RevisionEntity): Promise<RevisionEntity> {
    return this.repo.save(revision);
  }

  /** Unscoped: callers check the revision's app against the caller's visibility. */
  findByGuidUnscoped(guid: string): Promise<RevisionEntity | null> {
    return this.repo.findOneBy({ guid });
  }

  listPage(
    appGuid: string,
    filter: { versions?: number[]; guids?: string[] },
    page: PageRequest,
  ): Promise<Page<RevisionEntity>> {
    return findPage(
      this.repo,
      [
        {
          appGuid,
          ...(filter.versions ? { version: In(filter.versions) } : {}),
          ...(filter.guids ? { guid: In(filter.guids) } : {}),
        },
      ],
      page,
    );
  }

  async deleteForApp(appGuid: string): Promise<void> {
    await this.repo.delete({ appGuid });
  }
}
