import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, Repository } from 'typeorm';
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

  async revoke(jti: string): Promise<void> {
    await this.repo.update({ jti, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  async revokeAllForUser(userGuid: string): Promise<void> {
    await this.repo.update({ userGuid, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
