import { Inject, Injectable } from '@nestjs/common';
import type { BrokerService } from '../catalog/broker-catalog';
import { SERVICE_DRIVERS, type ServiceDriver } from './service-driver';

/** Finds the driver of an offering; the catalog and the drivers are checked against each other. */
@Injectable()
export class ServiceDrivers {
  private readonly byService: Map<string, ServiceDriver>;

  constructor(@Inject(SERVICE_DRIVERS) drivers: ServiceDriver[]) {
    this.byService = new Map(drivers.map((d) => [d.service, d]));
  }

  for(service: BrokerService): ServiceDriver {
    const driver = this.byService.get(service.name);
    if (!driver) throw new Error(`no driver for the built-in service ${service.name}`);
    return driver;
  }
}
