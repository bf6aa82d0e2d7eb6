import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { Command } from 'commander';
import { PlatformBootstrapAction } from '@wharf/identity';
import { ConfigError, loadConfig } from '@wharf/platform/config';
import { createDataSource } from '@wharf/platform/db';
import { secretBoxFor, verifyEncryptionKey } from '@wharf/platform/secrets';
import { DomainSeedAction } from '@wharf/routing';
import { CellRegisterAction } from '@wharf/cells';
import { ServiceBrokerRegisterAction } from '@wharf/services';
import { AdminModule } from './admin.module';

/** `wharf-admin`: operator steps that `npm run up` runs explicitly (never at api/worker boot). */
const program = new Command('wharf-admin')
  .description('Wharf operator commands')
  .showHelpAfterError();

program
  .command('migrate')
  .description('Apply pending database migrations')
  .action(async () => {
    const config = loadConfig();
    const ds = createDataSource(config);
    await ds.initialize();
    try {
      // Checked before migrating too: a migration must never seal anything with a wrong key.
      const database = ds.driver.database ?? 'the database';
      const box = secretBoxFor(config);
      await verifyEncryptionKey(ds, box, database);
      const applied = await ds.runMigrations({ transaction: 'each' });
      console.log(
        applied.length
          ? `applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`
          : 'database schema is up to date',
      );
      const check = await verifyEncryptionKey(ds, box, database);
      console.log(
        check === 'recorded'
          ? 'recorded which encryption key seals the secrets of this database'
          : 'the encryption key opens the secrets of this database',
      );
    } finally {
      await ds.destroy();
    }
  });

program
  .command('migrate:revert')
  .description('Revert the most recent migration')
  .action(async () => {
    const ds = createDataSource(loadConfig());
    await ds.initialize();
    try {
      await ds.undoLastMigration({ transaction: 'each' });
      console.log('reverted the last migration');
    } finally {
      await ds.destroy();
    }
  });

program
  .command('bootstrap')
  .description(
    'Create the admin user, the default org and space, and register the local cell (idempotent)',
  )
  .requiredOption('--admin-password-file <file>', 'file holding the admin password')
  .option('--admin-username <name>', 'admin user name', 'admin')
  .option('--org <name>', 'default organization', 'wharf')
  .option('--space <name>', 'default space', 'dev')
  .option('--cell-name <name>', 'name of the local cell', 'local')
  .action(
    async (opts: {
      adminPasswordFile: string;
      adminUsername: string;
      org: string;
      space: string;
      cellName: string;
    }) => {
      const config = loadConfig();
      const password = readFileSync(opts.adminPasswordFile, 'utf8').trim();
      if (password.length < 8)
        throw new Error(
          `${opts.adminPasswordFile}: the admin password must have at least 8 characters`,
        );
      const app = await NestFactory.createApplicationContext(AdminModule.forRoot(config), {
        logger: ['error', 'warn'],
      });
      try {
        const result = await app.get(PlatformBootstrapAction).execute({
          adminUsername: opts.adminUsername,
          adminPassword: password,
          organizationName: opts.org,
          spaceName: opts.space,
        });
        const { cell, created } = await app
          .get(CellRegisterAction)
          .execute({ name: opts.cellName, dockerEndpoint: config.dockerHost });
        const domains = await app.get(DomainSeedAction).execute();
        const changes = [
          ...result.created,
          ...domains,
          ...(created ? [`cell ${cell.name} (${cell.dockerEndpoint})`] : []),
        ];
        console.log(
          changes.length
            ? `created: ${changes.join(', ')}`
            : 'platform already bootstrapped; nothing to do',
        );
      } finally {
        await app.close();
      }
    },
  );

program
  .command('add-cell')
  .description(
    'Register a Docker engine as a cell, or update it (idempotent); tcp:// to anything but loopback needs mutual TLS',
  )
  .argument('<name>', 'cell name')
  .argument('<endpoint>', 'unix:///path/docker.sock or tcp://host:port')
  .option('--tls-ca <file>', "PEM file of the CA that signed the engine's certificate")
  .option('--tls-cert <file>', 'PEM file of the client certificate the engine accepts')
  .option('--tls-key <file>', 'PEM file of the client key (stored sealed)')
  .option('--memory-mb <n>', 'memory to place on the cell (default: what the engine reports)')
  .option('--disk-mb <n>', 'disk to place on the cell')
  .option('--max-containers <n>', 'containers the cell may run')
  .action(
    async (
      name: string,
      endpoint: string,
      opts: {
        tlsCa?: string;
        tlsCert?: string;
        tlsKey?: string;
        memoryMb?: string;
        diskMb?: string;
        maxContainers?: string;
      },
    ) => {
      const { tlsCa, tlsCert, tlsKey } = opts;
      let tls: { ca: string; cert: string; key: string } | undefined;
      if (tlsCa && tlsCert && tlsKey) {
        const read = (file: string) => readFileSync(file, 'utf8');
        tls = { ca: read(tlsCa), cert: read(tlsCert), key: read(tlsKey) };
      } else if (tlsCa || tlsCert || tlsKey) {
        throw new Error('--tls-ca, --tls-cert and --tls-key go together: give all three or none');
      }
      const capacity = {
        ...positive('--memory-mb', opts.memoryMb, 'memoryCapacityMb'),
        ...positive('--disk-mb', opts.diskMb, 'diskCapacityMb'),
        ...positive('--max-containers', opts.maxContainers, 'maxContainers'),
      };
      const config = loadConfig();
      const app = await NestFactory.createApplicationContext(AdminModule.forRoot(config), {
        logger: ['error', 'warn'],
      });
      try {
        const { cell, created } = await app.get(CellRegisterAction).execute({
          name,
          dockerEndpoint: endpoint,
          ...(tls ? { tls } : {}),
          ...capacity,
        });
        console.log(
          `cell ${cell.name} ${created ? 'registered' : 'updated'}: ${cell.dockerEndpoint}${cell.dockerTls ? ' (mutual TLS)' : ''}, ${cell.memoryCapacityMb} MB, ${cell.maxContainers} containers`,
        );
      } finally {
        await app.close();
      }
    },
  );

program
  .command('register-broker')
  .description(
    'Register a service broker, or update its url and credentials, and fetch its catalog (idempotent)',
  )
  .requiredOption('--name <name>', 'broker name')
  .requiredOption('--url <url>', 'broker url')
  .requiredOption('--username <user>', 'Basic auth user')
  .requiredOption('--password-file <file>', 'file holding the Basic auth password')
  .option('--public', 'when first registered, make every plan available to all orgs')
  .action(
    async (opts: {
      name: string;
      url: string;
      username: string;
      passwordFile: string;
      public?: boolean;
    }) => {
      const config = loadConfig();
      const app = await NestFactory.createApplicationContext(AdminModule.forRoot(config), {
        logger: ['error', 'warn'],
      });
      try {
        const result = await app.get(ServiceBrokerRegisterAction).execute({
          name: opts.name,
          url: opts.url,
          username: opts.username,
          password: readFileSync(opts.passwordFile, 'utf8').trim(),
          makePublic: opts.public ?? false,
        });
        console.log(
          `service broker ${opts.name} ${result.created ? 'registered' : 'updated'}: ${result.offerings.join(', ') || 'no offerings'}`,
        );
      } finally {
        await app.close();
      }
    },
  );

/** `{ [field]: n }` for a given option that is a positive integer; nothing when not given. */
function positive<K extends string>(
  option: string,
  value: string | undefined,
  field: K,
): Partial<Record<K, number>> {
  if (value === undefined) return {};
  if (!/^[1-9]\d*$/.test(value)) throw new Error(`${option} must be a positive integer`);
  return { [field]: Number(value) } as Partial<Record<K, number>>;
}

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(`wharf-admin: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
