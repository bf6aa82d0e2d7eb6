import { Global, Injectable, Module } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { APP_DROPLETS, AppDroplets, StagedDroplet } from '@wharf/apps';
import { DropletEntity } from './droplet.entity';

/** Which droplets still exist and are STAGED: a revision or deployment of one can run. */
@Injectable()
export class AppDropletsReader implements AppDroplets {
  constructor(
    @InjectRepository(DropletEntity) private readonly droplets: Repository<DropletEntity>,
  ) {}

  async stagedAmong(dropletGuids: string[]): Promise<Set<string>> {
    if (dropletGuids.length === 0) return new Set();
    const rows = await this.droplets.find({
      select: { guid: true },
      where: { guid: In(dropletGuids), state: 'STAGED' },
    });
    return new Set(rows.map((r) => r.guid));
  }

  async findStaged(dropletGuid: string): Promise<StagedDroplet | null> {
    const row = await this.droplets.findOneBy({ guid: dropletGuid, state: 'STAGED' });
    return row && { guid: row.guid, appGuid: row.appGuid, processTypes: row.processTypes };
  }
}

/** Makes the reader available to the apps context wherever staging is loaded (api and worker). */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([DropletEntity])],
  providers: [{ provide: APP_DROPLETS, useClass: AppDropletsReader }],
  exports: [APP_DROPLETS],
})
export class AppDropletsModule {}
