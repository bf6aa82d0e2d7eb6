import { Injectable } from '@nestjs/common';
import { SecretBox } from '@wharf/platform/secrets';
import { BrokerDatabase } from './broker-database';
import type { DriverResource, InstanceRecord, OperationState } from './broker-records';

interface InstanceRow {
  id: string;
  service_id: string;
  plan_id: string;
  parameters: Record<string, unknown>;
  organization_guid: string;
  space_guid: string;
  context: Record<string, unknown>;
  state: OperationState;
  operation: string | null;
  description: string | null;
  resource: DriverResource;
  secrets: string;
}

/** Instances in the bookkeeping database; their secrets sealed with the platform's key. */
@Injectable()
export class ServiceInstanceRepository {
  constructor(
    private readonly db: BrokerDatabase,
    private readonly box: SecretBox,
  ) {}

  async find(id: string): Promise<InstanceRecord | null> {
    const { rows } = await this.db.pool.query<InstanceRow>(
      `SELECT * FROM broker_instances WHERE id = $1`,
      [id],
    );
    return rows[0] ? this.toRecord(rows[0]) : null;
  }

  /** Every instance with an operation still running, to resume after a restart. */
  async findInProgress(): Promise<InstanceRecord[]> {
    const { rows } = await this.db.pool.query<InstanceRow>(
      `SELECT * FROM broker_instances WHERE state = 'in progress' ORDER BY created_at`,
    );
    return rows.map((r) => this.toRecord(r));
  }

  /** Instances whose provisioning succeeded, oldest first (what the keeper looks after). */
  async findSucceeded(): Promise<InstanceRecord[]> {
    const { rows } = await this.db.pool.query<InstanceRow>(
      `SELECT * FROM broker_instances WHERE state = 'succeeded' ORDER BY created_at`,
    );
    return rows.map((r) => this.toRecord(r));
  }

  async insert(i: InstanceRecord): Promise<void> {
    await this.db.pool.query(
      `INSERT INTO broker_instances (id, service_id, plan_id, parameters, organization_guid,
         space_guid, context, state, operation, description, resource, secrets)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        i.id,
        i.serviceId,
        i.planId,
        JSON.stringify(i.parameters),
        i.organizationGuid,
        i.spaceGuid,
        JSON.stringify(i.context),
        i.state,
        i.operation,
        i.description,
        JSON.stringify(i.resource),
        this.box.sealJson(i.secrets),
      ],
    );
  }

  async recordOutcome(
    id: string,
    outcome: { state: OperationState; description: string | null; resource?: DriverResource },
  ): Promise<void> {
    await this.db.pool.query(
      `UPDATE broker_instances
          SET state = $2, description = $3, resource = COALESCE($4, resource), updated_at = now()
        WHERE id = $1`,
      [
        id,
        outcome.state,
        outcome.description,
        outcome.resource ? JSON.stringify(outcome.resource) : null,
      ],
    );
  }

  async delete(id: string): Promise<void> {
    await this.db.pool.query(`DELETE FROM broker_instances WHERE id = $1`, [id]);
  }

  private toRecord(r: InstanceRow): InstanceRecord {
    return {
      id: r.id,
      serviceId: r.service_id,
      planId: r.plan_id,
      parameters: r.parameters,
      organizationGuid: r.organization_guid,
      spaceGuid: r.space_guid,
      context: r.context,
      state: r.state,
      operation: r.operation,
      description: r.description,
      resource: r.resource,
      secrets: this.box.openJson<Record<string, string>>(r.secrets),
    };
  }
}
