import { ServiceBrokerEntity } from './service-broker.entity';
import { ServiceCredentialBindingEntity } from './service-credential-binding.entity';
import { ServiceInstanceEntity } from './service-instance.entity';
import { ServiceOfferingEntity } from './service-offering.entity';
import { ServicePlanVisibilityEntity } from './service-plan-visibility.entity';
import { ServicePlanEntity } from './service-plan.entity';

export const SERVICES_ENTITIES = [
  ServiceInstanceEntity,
  ServiceCredentialBindingEntity,
  ServiceBrokerEntity,
  ServiceOfferingEntity,
  ServicePlanEntity,
  ServicePlanVisibilityEntity,
];
