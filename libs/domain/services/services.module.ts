import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppsModule } from '@wharf/apps';
import { IdentityModule } from '@wharf/identity';
import { AppServiceBindingsModule } from './app-service-bindings.reader';
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
];

/** Service brokers and their catalogs, service instances and credential bindings; imported by apps/api. */
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
    ...exported,
  ],
  exports: exported,
})
export class ServicesModule {}
