import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppsModule } from '@wharf/apps';
import { IdentityModule } from '@wharf/identity';
import { AppServiceBindingsModule } from './app-service-bindings.reader';
import {
  AppBindingCreateAction,
  CredentialBindingDeleteAction,
} from './credential-binding.actions';
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
  UserProvidedInstanceCreateAction,
  UserProvidedInstanceUpdateAction,
  UserProvidedInstanceDeleteAction,
  AppBindingCreateAction,
  CredentialBindingDeleteAction,
];

/** Service instances and credential bindings (user-provided so far); imported by apps/api. */
@Module({
  imports: [
    TypeOrmModule.forFeature(SERVICES_ENTITIES),
    IdentityModule,
    AppsModule,
    AppServiceBindingsModule,
  ],
  providers: [ServiceInstanceRepository, ServiceSpaceContentsCounter, ...exported],
  exports: exported,
})
export class ServicesModule {}
