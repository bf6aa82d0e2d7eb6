import { Controller, Get } from '@nestjs/common';
import { BROKER_SERVICES } from '../catalog/broker-catalog';
import { CatalogPresenter } from '../catalog/catalog.presenter';
import { OsbApiVersion } from './osb-api-version.decorator';
import type { OsbVersion } from './osb-version';

@Controller('v2/catalog')
export class CatalogController {
  private readonly presenter = new CatalogPresenter();

  @Get()
  catalog(@OsbApiVersion() version: OsbVersion): Record<string, unknown> {
    return this.presenter.present(BROKER_SERVICES, version);
  }
}
