import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@wharf/platform/config';
import { nestLogLevels } from '@wharf/platform/logging';
import { ApiModule } from './api.module';
import { configureApp } from './common/configure-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create(ApiModule.forRoot(config), {
    bodyParser: false,
    logger: nestLogLevels(config.logLevel),
  });
  configureApp(app);
  await app.listen(config.api.port, config.api.host);
  new Logger('Api').log(
    `Wharf API listening on http://${config.api.host}:${config.api.port} (${config.api.url})`,
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
