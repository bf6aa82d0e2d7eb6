import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Client, escapeIdentifier as ident, escapeLiteral as literal } from 'pg';
import { WHARF_CONFIG, type WharfConfig } from '@wharf/platform/config';
import type { BrokerPlan } from '../catalog/broker-catalog';
import { BrokerDatabase } from '../store/broker-database';
import type { BindingRecord, DriverResource, InstanceRecord } from '../store/broker-records';
import type { BindResult, ServiceDriver } from './service-driver';
import { serviceUri } from './service-uri';

/**
 * postgresql: a database per instance in the services cluster, owned by a NOLOGIN role of the same
 * name; a LOGIN role per binding, member of the owner role. The binding role's sessions start as
 * the owner role (`ALTER ROLE … SET role`), so whatever one binding creates belongs to the
 * instance and every later binding can use it, and unbinding drops exactly one login.
 * CONNECT is revoked from PUBLIC, so a binding's role reaches only its own instance's database.
 * The broker administers the cluster as a CREATEDB/CREATEROLE role, not a superuser; it makes
 * itself a member of each role it creates so it can drop their databases and objects later.
 */
@Injectable()
export class PostgresqlDriver implements ServiceDriver {
  readonly service = 'postgresql' as const;
  private readonly adminUrl: URL;

  constructor(
    private readonly db: BrokerDatabase,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {
    this.adminUrl = new URL(config.brokers.servicesPgUrl);
  }

  newSecrets(): Record<string, string> {
    return {};
  }

  async provision(instance: InstanceRecord, plan: BrokerPlan): Promise<DriverResource> {
    const name = objectName('svc', instance.id);
    const pool = this.db.pool;
    if (!(await this.roleExists(name))) await pool.query(`CREATE ROLE ${ident(name)} NOLOGIN`);
    await pool.query(`GRANT ${ident(name)} TO CURRENT_USER`);
    const { rowCount } = await pool.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    if (!rowCount) {
      await pool.query(
        `CREATE DATABASE ${ident(name)} OWNER ${ident(name)} CONNECTION LIMIT ${plan.connectionLimit ?? 20}`,
      );
    }
    await pool.query(`REVOKE ALL ON DATABASE ${ident(name)} FROM PUBLIC`);
    return { database: name, owner: name };
  }

  async deprovision(instance: InstanceRecord): Promise<void> {
    const name = instance.resource.database ?? objectName('svc', instance.id);
    const pool = this.db.pool;
    // FORCE ends the sessions still connected (the broker may: it is a member of their roles).
    await pool.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
    // Binding roles the platform never unbound: they can log in nowhere now, but must not linger.
    const { rows } = await pool.query<{ rolname: string }>(
      `SELECT m.rolname FROM pg_auth_members a
         JOIN pg_roles g ON g.oid = a.roleid
         JOIN pg_roles m ON m.oid = a.member
        WHERE g.rolname = $1 AND m.rolcanlogin AND m.rolname <> current_user`,
      [name],
    );
    for (const r of rows) await this.dropLogin(r.rolname, null);
    await pool.query(`DROP ROLE IF EXISTS ${ident(name)}`);
  }

  async bind(instance: InstanceRecord, bindingId: string): Promise<BindResult> {
    const database = instance.resource.database ?? objectName('svc', instance.id);
    const username = objectName('bind', bindingId);
    const password = randomBytes(24).toString('base64url');
    const pool = this.db.pool;
    // A retried bind after a crash: start over with a new password rather than guess the old one.
    if (await this.roleExists(username)) await this.dropLogin(username, database);
    await pool.query(
      `CREATE ROLE ${ident(username)} LOGIN PASSWORD ${literal(password)} IN ROLE ${ident(database)}`,
    );
    await pool.query(`ALTER ROLE ${ident(username)} SET role = ${literal(database)}`);
    await pool.query(`GRANT ${ident(username)} TO CURRENT_USER`);
    const host = this.config.brokers.servicesHost;
    const port = Number(this.adminUrl.port || 5432);
    return {
      credentials: {
        uri: serviceUri({
          scheme: 'postgres',
          host,
          port,
          username,
          password,
          path: [database],
        }),
        hostname: host,
        port,
        name: database,
        username,
        password,
        jdbcUrl: serviceUri({
          scheme: 'jdbc:postgresql',
          host,
          port,
          path: [database],
          query: { user: username, password },
        }),
      },
      resource: { username, database },
      endpoints: [{ host, ports: [String(port)] }],
    };
  }

  async unbind(instance: InstanceRecord, binding: BindingRecord): Promise<void> {
    const username = binding.resource.username ?? objectName('bind', binding.id);
    const database = instance.resource.database ?? objectName('svc', instance.id);
    if (await this.roleExists(username)) await this.dropLogin(username, database);
  }

  private async roleExists(name: string): Promise<boolean> {
    const { rowCount } = await this.db.pool.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [
      name,
    ]);
    return Boolean(rowCount);
  }

  /**
   * Ends a binding's access: no new logins, its sessions ended, anything it still owns handed to
   * the instance's owner role (in `database`, when it still exists), then the role dropped.
   */
  private async dropLogin(username: string, database: string | null): Promise<void> {
    const pool = this.db.pool;
    await pool.query(`ALTER ROLE ${ident(username)} NOLOGIN`);
    await pool.query(
      `SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE usename = $1`,
      [username],
    );
    if (database) {
      const { rowCount } = await pool.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [
        database,
      ]);
      if (rowCount) {
        const url = new URL(this.adminUrl);
        url.pathname = `/${database}`;
        const client = new Client({ connectionString: url.toString() });
        await client.connect();
        try {
          await client.query(`REASSIGN OWNED BY ${ident(username)} TO ${ident(database)}`);
          await client.query(`DROP OWNED BY ${ident(username)}`);
        } finally {
          await client.end();
        }
      }
    }
    await pool.query(`DROP ROLE IF EXISTS ${ident(username)}`);
  }
}

/**
 * A PostgreSQL identifier for an OSB id: ids run to 100 characters, identifiers to 63 bytes, so
 * objects are named after a digest of the id (quoted all the same wherever they are used).
 */
function objectName(prefix: 'svc' | 'bind', id: string): string {
  return `${prefix}_${createHash('sha256').update(id).digest('hex').slice(0, 24)}`;
}
