import { Module } from '@nestjs/common';
import { RoutingModule } from '@wharf/routing';
import { AppRoutingPurgeHandler } from './app-routing-purge.handler';

/** Routing's job: `app.routing_purge`. */
@Module({ imports: [RoutingModule], providers: [AppRoutingPurgeHandler] })
export class RoutingJobsModule {}
