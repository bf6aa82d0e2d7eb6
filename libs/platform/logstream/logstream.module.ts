import { Global, Module } from '@nestjs/common';
import { LogStore } from './log-store';

/** Apps' log lines (Log Cache's role in Cloud Foundry), shared by api and worker. */
@Global()
@Module({ providers: [LogStore], exports: [LogStore] })
export class LogStreamModule {}
