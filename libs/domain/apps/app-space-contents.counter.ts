import { Injectable, OnModuleInit } from '@nestjs/common';
import { SpaceContentsCounter, SpaceContentsRegistry } from '@wharf/identity';
import { AppRepository } from './app.repository';

/** Tells identity how many apps a space holds, so a space with apps is not deleted. */
@Injectable()
export class AppSpaceContentsCounter implements SpaceContentsCounter, OnModuleInit {
  readonly resource = 'app(s)';

  constructor(
    private readonly apps: AppRepository,
    private readonly registry: SpaceContentsRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  countInSpace(spaceGuid: string): Promise<number> {
    return this.apps.countInSpace(spaceGuid);
  }
}
