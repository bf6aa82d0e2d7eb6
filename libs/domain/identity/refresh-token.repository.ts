import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, LessThan, Repository } from 'typeorm';
import { RefreshTokenEntity } from './refresh-token.entity';

@Injectable()
export class RefreshTokenRepository {
  constructor(
    @InjectRepository(RefreshTokenEntity) private readonly repo: Repository<RefreshTokenEntity>,
  ) {}

  async record(jti: string, userGuid: string, expiresAt: Date): Promise<void> {
    await this.repo.insert({ jti, userGuid, expiresAt, revokedAt: null });
    // Housekeeping on the write path keeps the table bounded without a scheduler.
    await this.repo.delete({ userGuid, expiresAt: LessThan(new Date()) });
  }

  async isActive(jti: string, userGuid: string): Promise<boolean> {
    const row = await this.repo.findOneBy({ jti, userGuid, revokedAt: IsNull() });
    return !!row && row.expiresAt.getTime() > Date.now();
  }

  /** With `manager`, in that transaction. */
  async revoke(jti: string, manager?: EntityManager): Promise<void> {
    await this.on(manager).update({ jti, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** With `manager`, in that transaction. */
  async revokeAllForUser(userGuid: string, manager?: EntityManager): Promise<void> {
    await this.on(manager).update({ userGuid, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  private on(manager?: EntityManager): Repository<RefreshTokenEntity> {
    return manager?.getRepository(RefreshTokenEntity) ?? this.repo;
  }
}
