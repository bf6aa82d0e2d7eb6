export * from './services.module';
export { AppServicesPurge } from './app-services-purge';
export { ServiceBrokerSync } from './service-broker-sync';
export { ServiceBrokerDeletion } from './service-broker-deletion';
export { BrokerOperations } from './broker-operations';
export * from './services.errors';
export * from './services-query.service';
export * from './service-catalog-query.service';
export * from './service-instance.actions';
export * from './managed-instance.actions';
export * from './credential-binding.actions';
export * from './managed-binding.actions';
export * from './service-broker.actions';
export * from './service-broker-register.action';
export * from './plan-visibility.action';
export * from './vcap-services';
export type { ServiceInstanceEntity, ServiceInstanceType } from './service-instance.entity';
export type {
  ServiceCredentialBindingEntity,
  CredentialBindingType,
} from './service-credential-binding.entity';
export type { ServiceBrokerEntity } from './service-broker.entity';
export type { ServiceOfferingEntity } from './service-offering.entity';
export type { ServicePlanEntity } from './service-plan.entity';
export type { OperationState, OperationType } from './last-operation.columns';
export { SERVICES_ENTITIES } from './services.entities';
