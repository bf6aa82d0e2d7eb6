import { OrganizationEntity } from './organization.entity';
import { OrganizationQuotaEntity } from './organization-quota.entity';
import { SpaceQuotaEntity } from './space-quota.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { SpaceEntity } from './space.entity';
import { RoleEntity } from './role.entity';
import { UserEntity } from './user.entity';

/** For composition roots that list every entity (the migration data source, schema checks). */
export const IDENTITY_ENTITIES = [
  UserEntity,
  RefreshTokenEntity,
  OrganizationEntity,
  SpaceEntity,
  RoleEntity,
  OrganizationQuotaEntity,
  SpaceQuotaEntity,
];
