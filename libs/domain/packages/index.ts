export * from './packages.module';
export * from './packages.errors';
export * from './packages-query.service';
export * from './package-create.action';
export * from './package-upload.action';
export type { PackageEntity, PackageState } from './package.entity';
export { PACKAGES_ENTITIES } from './packages.entities';
export { ResourcePool, RESOURCE_POOL_LIMITS } from './resource-pool';
export type { ResourceRef } from './resource-pool';
