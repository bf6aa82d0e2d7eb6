import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ConfigModule, type WharfConfig } from '@wharf/platform/config';
import { RuntimeModule } from '@wharf/platform/runtime';
import { SecretsModule } from '@wharf/platform/secrets';
import { BindingCreateAction } from './actions/binding-create.action';
import { BindingDeleteAction } from './actions/binding-delete.action';
import { BrokerQueryService } from './actions/broker-query.service';
import { InstanceDeprovisionAction } from './actions/instance-deprovision.action';
import { InstanceProvisionAction } from './actions/instance-provision.action';
import { InstanceProvisionRunner } from './actions/instance-provision.runner';
import { InstanceUpdateAction } from './actions/instance-update.action';
import { ServiceKeeper } from './actions/service-keeper';
import { MemcachedDriver } from './drivers/memcached.driver';
import { PostgresqlDriver } from './drivers/postgresql.driver';
import { RedisDriver } from './drivers/redis.driver';
import { ServiceHosts } from './drivers/service-hosts';
import { ServiceImageBuilder } from './drivers/service-image.builder';
import { SERVICE_DRIVERS, type ServiceDriver } from './drivers/service-driver';
import { ServiceDrivers } from './drivers/service-drivers';
import { CatalogController } from './osb/catalog.controller';
import { OsbIdsGuard } from './osb/osb-ids.guard';
import { ServiceBindingsController } from './osb/service-bindings.controller';
import { ServiceInstancesController } from './osb/service-instances.controller';
import { BrokerDatabase } from './store/broker-database';
import { ServiceBindingRepository } from './store/service-binding.repository';
import { ServiceInstanceRepository } from './store/service-instance.repository';

/** The brokers process: the OSB API of Wharf's built-in services (postgresql, redis, memcached). */
@Module({})
export class BrokersModule {
  static forRoot(config?: WharfConfig): DynamicModule {
    return {
      module: BrokersModule,
      imports: [ConfigModule.forRoot(config), SecretsModule, RuntimeModule],
      controllers: [CatalogController, ServiceInstancesController, ServiceBindingsController],
      providers: [
        // Every id of every route is checked before a handler sees it.
        { provide: APP_GUARD, useClass: OsbIdsGuard },
        BrokerDatabase,
        ServiceInstanceRepository,
        ServiceBindingRepository,
        ServiceImageBuilder,
        ServiceHosts,
        PostgresqlDriver,
        RedisDriver,
        MemcachedDriver,
        {
          provide: SERVICE_DRIVERS,
          inject: [PostgresqlDriver, RedisDriver, MemcachedDriver],
          useFactory: (...drivers: ServiceDriver[]) => drivers,
        },
        ServiceDrivers,
        InstanceProvisionRunner,
        InstanceProvisionAction,
        InstanceUpdateAction,
        InstanceDeprovisionAction,
        BindingCreateAction,
        BindingDeleteAction,
        BrokerQueryService,
        ServiceKeeper,
      ],
    };
  }
}
