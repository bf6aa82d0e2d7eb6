import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { GuidEntity } from '@wharf/platform/db';
import { OrganizationEntity } from './organization.entity';
import { SpaceEntity } from './space.entity';
import { UserEntity } from './user.entity';

export const ORGANIZATION_ROLE_TYPES = [
  'organization_user',
  'organization_auditor',
  'organization_manager',
] as const;
export const SPACE_ROLE_TYPES = ['space_developer', 'space_auditor', 'space_manager'] as const;
export type OrganizationRoleType = (typeof ORGANIZATION_ROLE_TYPES)[number];
export type SpaceRoleType = (typeof SPACE_ROLE_TYPES)[number];
export type RoleType = OrganizationRoleType | SpaceRoleType;

export const isOrganizationRoleType = (t: string): t is OrganizationRoleType =>
  (ORGANIZATION_ROLE_TYPES as readonly string[]).includes(t);
export const isSpaceRoleType = (t: string): t is SpaceRoleType =>
  (SPACE_ROLE_TYPES as readonly string[]).includes(t);

/**
 * A user's role in an organization or in a space. A space role also records the space's
 * organization, so that everything a user may do is read from this one table. Roles go with their
 * user, organization or space (foreign keys cascade).
 */
@Entity('roles')
@Index('roles_unique_organization_role', ['userGuid', 'type', 'organizationGuid'], {
  unique: true,
  where: 'space_guid IS NULL',
})
@Index('roles_unique_space_role', ['userGuid', 'type', 'spaceGuid'], {
  unique: true,
  where: 'space_guid IS NOT NULL',
})
export class RoleEntity extends GuidEntity {
  @Column({ type: 'text' })
  type!: RoleType;

  @Index()
  @Column({ name: 'user_guid', type: 'uuid' })
  userGuid!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_guid' })
  user?: UserEntity;

  @Index()
  @Column({ name: 'organization_guid', type: 'uuid' })
  organizationGuid!: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_guid' })
  organization?: OrganizationEntity;

  /** Null for an organization role. */
  @Index()
  @Column({ name: 'space_guid', type: 'uuid', nullable: true })
  spaceGuid!: string | null;

  @ManyToOne(() => SpaceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'space_guid' })
  space?: SpaceEntity;
}
