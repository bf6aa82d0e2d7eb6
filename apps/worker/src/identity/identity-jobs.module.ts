import { Module } from '@nestjs/common';
import { IdentityModule } from '@wharf/identity';
import { OrganizationDeleteHandler } from './organization-delete.handler';
import { SpaceDeleteHandler } from './space-delete.handler';
import { RoleDeleteHandler } from './role-delete.handler';
import { UserDeleteHandler } from './user-delete.handler';

/** Identity's jobs: `organization.delete`, `space.delete`, `role.delete`, `user.delete`. */
@Module({
  imports: [IdentityModule],
  providers: [OrganizationDeleteHandler, SpaceDeleteHandler, RoleDeleteHandler, UserDeleteHandler],
})
export class IdentityJobsModule {}
