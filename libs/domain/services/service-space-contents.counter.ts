import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { SpaceContentsCounter, SpaceContentsRegistry } from '@wharf/identity';
import { ServiceInstanceEntity } from './service-instance.entity';

/** Tells identity how many service instances a space holds, so such a space is not deleted. */
@Injectable()
export class ServiceSpaceContentsCounter implements SpaceContentsCounter, OnModuleInit {
  readonly resource = 'service instance(s)';

  constructor(
    @InjectRepository(ServiceInstanceEntity)
    private readonly instances: Repository<ServiceInstanceEntity>,
    private readonly registry: SpaceContentsRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  countInSpace(spaceGuid: string): Promise<number> {
    return this.instances.countBy({ spaceGuid });
  }
}
