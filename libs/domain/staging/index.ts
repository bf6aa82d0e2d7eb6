export * from './staging.module';
export * from './buildpacks-query.service';
export * from './buildpack-catalog';
