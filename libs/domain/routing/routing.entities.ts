import { DomainEntity } from './domain.entity';
import { RouteDestinationEntity } from './route-destination.entity';
import { RouteEntity } from './route.entity';

export const ROUTING_ENTITIES = [DomainEntity, RouteEntity, RouteDestinationEntity];
