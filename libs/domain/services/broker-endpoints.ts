import { Injectable } from '@nestjs/common';
import { SecretBox } from '@wharf/platform/secrets';
import type { BrokerEndpoint } from './osb/osb-client';
import { ServiceBrokerEntity } from './service-broker.entity';

/** A broker row as the OSB client needs it: the sealed password opened only here, per call. */
@Injectable()
export class BrokerEndpoints {
  constructor(private readonly box: SecretBox) {}

  of(broker: ServiceBrokerEntity): BrokerEndpoint {
    return {
      url: broker.url,
      username: broker.username,
      password: this.box.open(broker.passwordSealed),
    };
  }
}
