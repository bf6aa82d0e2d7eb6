/**
 * The organization a space is in, so an event recorded in a space is also its organization's.
 * Identity answers it; identity records its own changes here, so it sits above events and the
 * composition roots hand its module in (EventsModule.forRoot).
 */
export abstract class SpaceOrganizationLookup {
  /** Rejects when there is no such space. */
  abstract organizationGuidOfSpace(spaceGuid: string): Promise<string>;
}
