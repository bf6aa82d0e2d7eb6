import { Global, Module } from '@nestjs/common';
import { RedisConnections } from './redis-connections';

/** The process's Redis connections (see RedisConnections); used by api, worker and admin. */
@Global()
@Module({ providers: [RedisConnections], exports: [RedisConnections] })
export class RedisModule {}
