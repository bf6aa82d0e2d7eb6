import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { DomainRepository } from './domain.repository';
import { INTERNAL_DOMAIN } from './route-names';

/** The shared domain (configurable) and the internal one exist on every installation. */
@Injectable()
export class DomainSeedAction {
  constructor(
    private readonly domains: DomainRepository,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  async execute(): Promise<string[]> {
    const created: string[] = [];
    for (const [name, internal] of [
      [this.config.sharedDomain, false],
      [INTERNAL_DOMAIN, true],
    ] as const) {
      if (await this.domains.findByName(name)) continue;
      await this.domains.save({
        guid: randomUUID(),
        name,
        internal,
        organizationGuid: null,
        labels: {},
        annotations: {},
      });
      created.push(`domain ${name}`);
    }
    return created;
  }
}
