import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, In, Repository } from 'typeorm';
import { findPage, Page, PageRequest } from '@wharf/platform/db';
import { UserEntity } from './user.entity';

// In SQL, so that concurrent changes each move it on instead of writing back a value read earlier.
const nextGeneration = (): string => '"token_generation" + 1';

@Injectable()
export class UserRepository {
  constructor(@InjectRepository(UserEntity) private readonly repo: Repository<UserEntity>) {}

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ username });
  }

  findByGuid(guid: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ guid });
  }

  /** Users by guid, or every user when `guids` is 'all' (admins). */
  listPage(
    guids: string[] | 'all',
    filter: { guids?: string[]; usernames?: string[]; origins?: string[] },
    page: PageRequest,
  ): Promise<Page<UserEntity>> {
    const where: FindOptionsWhere<UserEntity> = {};
    if (filter.usernames) where.username = In(filter.usernames);
    if (filter.origins) where.origin = In(filter.origins);
    const wanted =
      guids === 'all'
        ? filter.guids
        : guids.filter((g) => !filter.guids || filter.guids.includes(g));
    if (wanted) where.guid = In(wanted);
    return findPage(this.repo, [where], page);
  }

  findByGuids(guids: string[]): Promise<UserEntity[]> {
    return guids.length ? this.repo.findBy({ guid: In(guids) }) : Promise.resolve([]);
  }

  /**
   * A new password, and a new token generation in the same statement: every token issued before
   * is refused from the next request on, whichever API process answers it.
   */
  async changePassword(guid: string, passwordHash: string, manager?: EntityManager): Promise<void> {
    await this.on(manager).update({ guid }, { passwordHash, tokenGeneration: nextGeneration });
  }

  /** Ends every session of the user: tokens issued before are refused from the next request on. */
  async endSessions(guid: string, manager?: EntityManager): Promise<void> {
    await this.on(manager).update({ guid }, { tokenGeneration: nextGeneration });
  }

  async delete(guid: string): Promise<void> {
    await this.repo.delete({ guid });
  }

  /** With `manager`, in that transaction. */
  save(user: UserEntity, manager?: EntityManager): Promise<UserEntity> {
    return this.on(manager).save(user);
  }

  create(fields: Partial<UserEntity>): UserEntity {
    return this.repo.create(fields);
  }

  private on(manager?: EntityManager): Repository<UserEntity> {
    return manager?.getRepository(UserEntity) ?? this.repo;
  }
}
