import { Module } from '@nestjs/common';
import { ServicesModule } from '@wharf/services';
import { AppServicesPurgeHandler } from './app-services-purge.handler';
import { ServiceBindingOperateHandler } from './service-binding-operate.handler';
import { ServiceBindingOrphanMitigateHandler } from './service-binding-orphan-mitigate.handler';
import { ServiceBrokerDeleteHandler } from './service-broker-delete.handler';
import { ServiceBrokerSyncHandler } from './service-broker-sync.handler';
import { ServiceInstanceOperateHandler } from './service-instance-operate.handler';
import { ServiceInstanceOrphanMitigateHandler } from './service-instance-orphan-mitigate.handler';

/** Services' jobs: brokers' catalogs and deletion, operations at brokers, orphan mitigation, purges. */
@Module({
  imports: [ServicesModule],
  providers: [
    ServiceBrokerSyncHandler,
    ServiceBrokerDeleteHandler,
    ServiceInstanceOperateHandler,
    ServiceBindingOperateHandler,
    ServiceInstanceOrphanMitigateHandler,
    ServiceBindingOrphanMitigateHandler,
    AppServicesPurgeHandler,
  ],
})
export class ServicesJobsModule {}
