import { Injectable } from '@nestjs/common';
import { IdentityQueryService, PLATFORM_VISIBILITY } from '@wharf/identity';

/** The OSB `context` object (profile "cloudfoundry") and the guids a provision body repeats. */
export interface SpaceContext {
  organizationGuid: string;
  spaceGuid: string;
  context: Record<string, unknown>;
}

@Injectable()
export class BrokerContextBuilder {
  constructor(private readonly identity: IdentityQueryService) {}

  async forSpace(spaceGuid: string, instanceName: string): Promise<SpaceContext> {
    const space = await this.identity.getSpace(PLATFORM_VISIBILITY, spaceGuid);
    const org = await this.identity.getOrganizationOfSpace(space);
    return {
      organizationGuid: org.guid,
      spaceGuid: space.guid,
      context: {
        platform: 'cloudfoundry',
        organization_guid: org.guid,
        organization_name: org.name,
        space_guid: space.guid,
        space_name: space.name,
        instance_name: instanceName,
      },
    };
  }
}

/**
 * Delay before poll n (1, 2, …) of a broker's last_operation: the broker's Retry-After when it
 * sent one, else 0.5 s doubling to at most 15 s, so fast operations finish quickly and slow ones
 * do not hammer the broker.
 */
export function pollDelayMs(poll: number, retryAfterSeconds: number | null): number {
  if (retryAfterSeconds !== null) return retryAfterSeconds * 1000;
  return Math.min(15_000, 500 * 2 ** Math.max(0, poll - 1));
}

/** True once polling has gone on longer than the plan (or the platform) allows. */
export function pollingExpired(
  startedAt: Date,
  maximumPollingDuration: number | null,
  platformMaxSeconds: number,
  now = Date.now(),
): boolean {
  const limit = (maximumPollingDuration ?? platformMaxSeconds) * 1000;
  return now - startedAt.getTime() > limit;
}
