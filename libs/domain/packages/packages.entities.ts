import { PackageEntity } from './package.entity';

export const PACKAGES_ENTITIES = [PackageEntity];
