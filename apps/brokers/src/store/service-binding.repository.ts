import { Injectable } from '@nestjs/common';
import { SecretBox } from '@wharf/platform/secrets';
import { BrokerDatabase } from './broker-database';
import type { BindingRecord, DriverResource } from './broker-records';

interface BindingRow {
  id: string;
  instance_id: string;
  service_id: string;
  plan_id: string;
  parameters: Record<string, unknown>;
  app_guid: string | null;
  resource: DriverResource;
  credentials: string;
}

/** Bindings in the bookkeeping database; credentials sealed, as the platform stores its own. */
@Injectable()
export class ServiceBindingRepository {
  constructor(
    private readonly db: BrokerDatabase,
    private readonly box: SecretBox,
  ) {}

  async find(id: string): Promise<BindingRecord | null> {
    const { rows } = await this.db.pool.query<BindingRow>(
      `SELECT * FROM broker_bindings WHERE id = $1`,
      [id],
    );
    return rows[0] ? this.toRecord(rows[0]) : null;
  }

  async findByInstance(instanceId: string): Promise<BindingRecord[]> {
    const { rows } = await this.db.pool.query<BindingRow>(
      `SELECT * FROM broker_bindings WHERE instance_id = $1 ORDER BY created_at`,
      [instanceId],
    );
    return rows.map((r) => this.toRecord(r));
  }

  async insert(b: BindingRecord): Promise<void> {
    await this.db.pool.query(
      `INSERT INTO broker_bindings (id, instance_id, service_id, plan_id, parameters, app_guid,
         resource, credentials)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        b.id,
        b.instanceId,
        b.serviceId,
        b.planId,
        JSON.stringify(b.parameters),
        b.appGuid,
        JSON.stringify(b.resource),
        this.box.sealJson(b.credentials),
      ],
    );
  }

  async delete(id: string): Promise<void> {
    await this.db.pool.query(`DELETE FROM broker_bindings WHERE id = $1`, [id]);
  }

  private toRecord(r: BindingRow): BindingRecord {
    return {
      id: r.id,
      instanceId: r.instance_id,
      serviceId: r.service_id,
      planId: r.plan_id,
      parameters: r.parameters,
      appGuid: r.app_guid,
      resource: r.resource,
      credentials: this.box.openJson<Record<string, unknown>>(r.credentials),
    };
  }
}
