import type { EntityManager } from 'typeorm';

/**
 * The organization a space is in, so an event recorded in a space is also its organization's.
 * Identity answers it; identity records its own changes here, so it sits above events and the
 * composition roots hand its module in (EventsModule.forRoot).
 */
export abstract class SpaceOrganizationLookup {
  /**
   * Rejects when there is no such space. With `manager`, read in that transaction (a space it
   * creates is there before the commit).
   */
  abstract organizationGuidOfSpace(spaceGuid: string, manager?: EntityManager): Promise<string>;
}
