import { ServiceCredentialBindingEntity } from './service-credential-binding.entity';
import { ServiceInstanceEntity } from './service-instance.entity';

export const SERVICES_ENTITIES = [ServiceInstanceEntity, ServiceCredentialBindingEntity];
