import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppsModule } from '@wharf/apps';
import { IdentityModule } from '@wharf/identity';
import { AppServiceBindingsModule } from './app-service-bindings.reader';
import { AppServicesPurge } from './app-services-purge';
import { BrokerEndpoints } from './broker-endpoints';
import { BrokerOperationMachine } from './broker-operation.machine';
import { BrokerContextBuilder, OperationJobs } from './broker-operation.support';
import { BrokerOperations } from './broker-operations';
import { OsbClient } from './osb/osb-client';
import { ServiceBindingOperationAdapter } from './service-binding-operation.adapter';
import { ServiceBrokerDeletion } from './service-broker-deletion';
import { ServiceBrokerSync } from './service-broker-sync';
import { ServiceInstanceOperationAdapter } from './service-instance-operation.adapter';
import {
  AppBindingCreateAction,
  CredentialBindingDeleteAction,
} from './credential-binding.actions';
import { ManagedBindingCreateAction, ManagedBindingDeleteAction } from './managed-binding.actions';
import {
  ManagedInstanceCreateAction,
  ManagedInstanceDeleteAction,
  ManagedInstanceUpdateAction,
} from './managed-instance.actions';
import { ParametersValidator } from './parameters.validator';
import {
  ServiceBrokerCreateAction,
  ServiceBrokerDeleteAction,
  ServiceBrokerUpdateAction,
} from './service-broker.actions';
import { ServiceBrokerRegisterAction } from './service-broker-register.action';
import { ServiceCatalogQueryService } from './service-catalog-query.service';
import { ServiceCatalogRepository } from './service-catalog.repository';
import { PlanVisibilityUpdateAction } from './plan-visibility.action';
import {
  UserProvidedInstanceCreateAction,
  UserProvidedInstanceDeleteAction,
  UserProvidedInstanceUpdateAction,
} from './service-instance.actions';
import { ServiceInstanceRepository } from './service-instance.repository';
import { ServiceSpaceContentsCounter } from './service-space-contents.counter';
import { ServicesQueryService } from './services-query.service';
import { SERVICES_ENTITIES } from './services.entities';

const exported = [
  ServicesQueryService,
  ServiceCatalogQueryService,
  UserProvidedInstanceCreateAction,
  UserProvidedInstanceUpdateAction,
  UserProvidedInstanceDeleteAction,
  ManagedInstanceCreateAction,
  ManagedInstanceUpdateAction,
  ManagedInstanceDeleteAction,
  AppBindingCreateAction,
  CredentialBindingDeleteAction,
  ManagedBindingCreateAction,
  ManagedBindingDeleteAction,
  ServiceBrokerCreateAction,
  ServiceBrokerUpdateAction,
  ServiceBrokerDeleteAction,
  PlanVisibilityUpdateAction,
  ServiceBrokerRegisterAction,
  // What services' jobs do (the worker's handlers call them).
  AppServicesPurge,
  ServiceBrokerSync,
  ServiceBrokerDeletion,
  BrokerOperations,
];

/**
 * Service brokers and their catalogs, service instances and credential bindings, and the calls to
 * brokers their jobs make. Used by api, worker and admin.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature(SERVICES_ENTITIES),
    IdentityModule,
    AppsModule,
    AppServiceBindingsModule,
  ],
  providers: [
    ServiceInstanceRepository,
    ServiceCatalogRepository,
    ServiceSpaceContentsCounter,
    ParametersValidator,
    OsbClient,
    BrokerEndpoints,
    BrokerContextBuilder,
    OperationJobs,
    BrokerOperationMachine,
    ServiceInstanceOperationAdapter,
    ServiceBindingOperationAdapter,
    ...exported,
  ],
  exports: exported,
})
export class ServicesModule {}
