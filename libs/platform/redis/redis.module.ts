import { Global, Module } from '@nestjs/common';
import { ChangeSignals } from './change-signals';
import { RedisConnections } from './redis-connections';

/**
 * The process's Redis connections (see RedisConnections) and change signals between processes
 * (ChangeSignals); used by api, worker and admin.
 */
@Global()
@Module({
  providers: [RedisConnections, ChangeSignals],
  exports: [RedisConnections, ChangeSignals],
})
export class RedisModule {}
