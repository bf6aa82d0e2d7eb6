import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppsModule } from '@wharf/apps';
import { IdentityModule } from '@wharf/identity';
import { AppServiceBindingsModule } from './app-service-bindings.reader';
import { AppServicesPurgeProcessor } from './app-services-purge.processor';
import { BrokerEndpoints } from './broker-endpoints';
import { BrokerOperationMachine } from './broker-operation.machine';
import { BrokerContextBuilder, OperationJobs } from './broker-operation.support';
import { OsbClient } from './osb/osb-client';
import { ServiceBindingOperateProcessor } from './service-binding-operate.processor';
import { ServiceBindingOperationAdapter } from './service-binding-operation.adapter';
import { ServiceBindingOrphanMitigateProcessor } from './service-binding-orphan-mitigate.processor';
import { ServiceBrokerDeleteProcessor } from './service-broker-delete.processor';
import { ServiceBrokerSyncProcessor } from './service-broker-sync.processor';
import { ServiceCatalogQueryService } from './service-catalog-query.service';
import { ServiceCatalogRepository } from './service-catalog.repository';
import { ServiceInstanceOperateProcessor } from './service-instance-operate.processor';
import { ServiceInstanceOperationAdapter } from './service-instance-operation.adapter';
import { ServiceInstanceOrphanMitigateProcessor } from './service-instance-orphan-mitigate.processor';
import { ServiceInstanceRepository } from './service-instance.repository';
import { ServiceSpaceContentsCounter } from './service-space-contents.counter';
import { SERVICES_ENTITIES } from './services.entities';

/** Services' jobs (brokers' catalogs, operations at brokers, purges); imported only by apps/worker. */
@Module({
  imports: [
    TypeOrmModule.forFeature(SERVICES_ENTITIES),
    AppsModule,
    IdentityModule,
    AppServiceBindingsModule,
  ],
  providers: [
    ServiceInstanceRepository,
    ServiceCatalogRepository,
    ServiceCatalogQueryService,
    ServiceSpaceContentsCounter,
    OsbClient,
    BrokerEndpoints,
    BrokerContextBuilder,
    OperationJobs,
    BrokerOperationMachine,
    ServiceInstanceOperationAdapter,
    ServiceBindingOperationAdapter,
    AppServicesPurgeProcessor,
    ServiceBrokerSyncProcessor,
    ServiceBrokerDeleteProcessor,
    ServiceInstanceOperateProcessor,
    ServiceInstanceOrphanMitigateProcessor,
    ServiceBindingOperateProcessor,
    ServiceBindingOrphanMitigateProcessor,
  ],
})
export class ServicesWorkerModule {}
