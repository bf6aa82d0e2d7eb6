import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganizationDeleteProcessor } from './organization-delete.processor';
import { OrganizationEntity } from './organization.entity';
import { OrganizationRepository } from './organization.repository';
import { SpaceDeleteProcessor } from './space-delete.processor';
import { SpaceEntity } from './space.entity';
import { SpaceRepository } from './space.repository';

/** Identity's job processors; imported only by apps/worker. */
@Module({
  imports: [TypeOrmModule.forFeature([OrganizationEntity, SpaceEntity])],
  providers: [
    OrganizationRepository,
    SpaceRepository,
    OrganizationDeleteProcessor,
    SpaceDeleteProcessor,
  ],
})
export class IdentityWorkerModule {}
