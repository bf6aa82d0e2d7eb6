import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppEntity } from './app.entity';

/**
 * Seals environment variables written before the column was sealed (they are read as plain JSON
 * until then): at the API's start, each such app is saved again through the sealing column.
 */
@Injectable()
export class AppEnvironmentSealer implements OnApplicationBootstrap {
  private readonly logger = new Logger('AppEnvironmentSealer');

  constructor(@InjectRepository(AppEntity) private readonly apps: Repository<AppEntity>) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sealPlainRows().catch((err: Error) =>
      this.logger.warn(`could not seal older environment variables yet: ${err.message}`),
    );
  }

  private async sealPlainRows(): Promise<void> {
    const plain = await this.apps
      .createQueryBuilder('a')
      .select('a.guid', 'guid')
      .where(`a.environment_variables NOT LIKE 'v1.%'`)
      .getRawMany<{ guid: string }>();
    for (const { guid } of plain) {
      const app = await this.apps.findOneBy({ guid });
      if (app) await this.apps.update({ guid }, { environmentVariables: app.environmentVariables });
    }
    if (plain.length) this.logger.log(`sealed the environment variables of ${plain.length} app(s)`);
  }
}
