import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppsModule } from '@wharf/apps';
import { AppServiceBindingsModule } from './app-service-bindings.reader';
import { AppServicesPurgeProcessor } from './app-services-purge.processor';
import { ServiceInstanceRepository } from './service-instance.repository';
import { ServiceSpaceContentsCounter } from './service-space-contents.counter';
import { SERVICES_ENTITIES } from './services.entities';

/** Services' jobs, and the bindings apps' environments read; imported only by apps/worker. */
@Module({
  imports: [TypeOrmModule.forFeature(SERVICES_ENTITIES), AppsModule, AppServiceBindingsModule],
  providers: [ServiceInstanceRepository, ServiceSpaceContentsCounter, AppServicesPurgeProcessor],
})
export class ServicesWorkerModule {}
