import { Inject, Injectable } from '@nestjs/common';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { notFound } from '@wharf/platform/errors';
import { readBuildpackCatalog, SystemBuildpack } from './buildpack-catalog';

/** The platform's buildpacks (not tenant data: every authenticated user may list them). */
@Injectable()
export class BuildpacksQueryService {
  constructor(@Inject(WHARF_CONFIG) private readonly config: WharfConfig) {}

  list(): Promise<SystemBuildpack[]> {
    return readBuildpackCatalog(this.config.buildpacksDir, this.config.stack);
  }

  async get(guid: string): Promise<SystemBuildpack> {
    const bp = (await this.list()).find((b) => b.guid === guid);
    if (!bp) throw notFound('Buildpack');
    return bp;
  }
}
