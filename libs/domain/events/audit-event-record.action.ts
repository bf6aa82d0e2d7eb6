import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditEventEntity } from './audit-event.entity';
import { AuditEventRepository } from './audit-event.repository';
import { SpaceOrganizationLookup } from './space-organization.port';

export interface AuditActor {
  guid: string;
  type: 'user' | 'process' | 'system';
  name: string;
  /** The API request (X-Vcap-Request-Id) a user's change came in with. */
  requestId?: string;
}

export interface AuditEventInput {
  type: string;
  actor: AuditActor;
  target: { guid: string; type: string; name: string };
  data?: Record<string, unknown>;
  /** The space the target lives in; its organization is looked up. */
  spaceGuid?: string | null;
  /** For targets that live in an organization but in no space (org roles, spaces themselves). */
  organizationGuid?: string | null;
}

/** The actor for work nobody asked for directly (crash restarts, sweeps). */
export const SYSTEM_ACTOR: AuditActor = { guid: 'system', type: 'system', name: 'system' };

/**
 * Records one audit event. Given the EntityManager of the change's transaction, the event commits
 * with the change or not at all (and an event that cannot be written fails the change). Without
 * one, the change has already happened: an event that cannot be written is logged, never turned
 * into a failure of the change.
 */
@Injectable()
export class AuditEventRecordAction {
  private readonly logger = new Logger('AuditEvents');

  constructor(
    private readonly events: AuditEventRepository,
    private readonly spaces: SpaceOrganizationLookup,
  ) {}

  async execute(input: AuditEventInput, manager?: EntityManager): Promise<AuditEventEntity | null> {
    if (manager) return this.write(input, manager);
    try {
      return await this.write(input);
    } catch (err) {
      this.logger.warn(
        `audit event ${input.type} for ${input.target.guid} not recorded: ${(err as Error).message}`,
      );
      return null;
    }
  }

  private async write(input: AuditEventInput, manager?: EntityManager): Promise<AuditEventEntity> {
    let organizationGuid: string | null = input.organizationGuid ?? null;
    if (input.spaceGuid) {
      organizationGuid = await this.spaces
        .organizationGuidOfSpace(input.spaceGuid, manager)
        .catch(() => null);
    }
    return this.events.save(
      {
        guid: randomUUID(),
        type: input.type,
        actorGuid: input.actor.guid,
        actorType: input.actor.type,
        actorName: input.actor.name,
        targetGuid: input.target.guid,
        targetType: input.target.type,
        targetName: input.target.name,
        data: input.data ?? {},
        spaceGuid: input.spaceGuid ?? null,
        organizationGuid,
        requestId: input.actor.requestId ?? null,
      },
      manager,
    );
  }
}
