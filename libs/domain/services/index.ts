export * from './services.module';
export * from './services-worker.module';
export * from './services.errors';
export * from './services-query.service';
export * from './service-instance.actions';
export * from './credential-binding.actions';
export * from './vcap-services';
export type { ServiceInstanceEntity, ServiceInstanceType } from './service-instance.entity';
export type {
  ServiceCredentialBindingEntity,
  CredentialBindingType,
} from './service-credential-binding.entity';
export { SERVICES_ENTITIES } from './services.entities';
