import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganizationDeleteProcessor } from './organization-delete.processor';
import { OrganizationEntity } from './organization.entity';
import { OrganizationQuotaEntity } from './organization-quota.entity';
import { SpaceQuotaEntity } from './space-quota.entity';
import { OrganizationRepository } from './organization.repository';
import { RefreshTokenEntity } from './refresh-token.entity';
import { RefreshTokenRepository } from './refresh-token.repository';
import { RoleDeleteProcessor } from './role-delete.processor';
import { RoleEntity } from './role.entity';
import { RoleRepository } from './role.repository';
import { SpaceDeleteProcessor } from './space-delete.processor';
import { SpaceEntity } from './space.entity';
import { SpaceRepository } from './space.repository';
import { UserDeleteProcessor } from './user-delete.processor';
import { UserEntity } from './user.entity';
import { UserRepository } from './user.repository';

/** Identity's job processors; imported only by apps/worker. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      OrganizationEntity,
      SpaceEntity,
      RoleEntity,
      UserEntity,
      RefreshTokenEntity,
      // Related to organizations and spaces, so their metadata must be loaded with them.
      OrganizationQuotaEntity,
      SpaceQuotaEntity,
    ]),
  ],
  providers: [
    OrganizationRepository,
    SpaceRepository,
    RoleRepository,
    UserRepository,
    RefreshTokenRepository,
    OrganizationDeleteProcessor,
    SpaceDeleteProcessor,
    RoleDeleteProcessor,
    UserDeleteProcessor,
  ],
})
export class IdentityWorkerModule {}
