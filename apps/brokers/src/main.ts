import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@wharf/platform/config';
import { nestLogLevels } from '@wharf/platform/logging';
import { BrokersModule } from './brokers.module';
import { configureBrokersApp } from './configure-brokers-app';

async function main(): Promise<void> {
  const config = loadConfig();
  // api and worker run without these; the brokers cannot.
  const missing = [
    config.brokers.password ? null : 'WHARF_BROKERS_PASSWORD: required by the brokers',
    config.brokers.servicesPgUrl ? null : 'WHARF_SERVICES_PG_URL: required by the brokers',
  ].filter((p): p is string => p !== null);
  if (missing.length) throw new ConfigError(missing);
  const app = await NestFactory.create(BrokersModule.forRoot(config), {
    bodyParser: false,
    logger: nestLogLevels(config.logLevel),
  });
  configureBrokersApp(app, config);
  await app.listen(config.brokers.port, config.brokers.host);
  new Logger('Brokers').log(
    `Wharf service brokers (OSB 2.17) listening on http://${config.brokers.host}:${config.brokers.port}`,
  );
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78); // EX_CONFIG
  }
  console.error(err);
  process.exit(1);
});
