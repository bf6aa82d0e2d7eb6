import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@wharf/platform/config';
import { nestLogLevels } from '@wharf/platform/logging';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger: nestLogLevels(config.logLevel),
  });
  // SIGTERM/SIGINT close the BullMQ workers, which let running jobs finish first.
  app.enableShutdownHooks();
  new Logger('Worker').log(`Wharf worker started (queue prefix ${config.queuePrefix})`);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(78);
  }
  console.error(err);
  process.exit(1);
});
