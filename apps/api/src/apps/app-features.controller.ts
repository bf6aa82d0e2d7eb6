import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  APP_FEATURES,
  AppEntity,
  appFeatures,
  AppFeatureUpdateAction,
  AppsQueryService,
} from '@wharf/apps';
import { Principal, visibilityOf } from '@wharf/access';
import type { AppFeatureResource } from '@wharf/contracts';
import { notFound } from '@wharf/platform/errors';
import { actorOf } from '../common/actor';
import { ApiUrl } from '../common/api-url';
import { GuidPipe } from '../common/guid.pipe';
import { CurrentPrincipal } from '../common/principal.decorator';
import { AppFeatureUpdateRequest } from '../revisions/app-feature-update.request';

/** CF's app features: `revisions` (on by default). */
@ApiTags('apps')
@ApiBearerAuth()
@Controller('v3/apps/:guid/features')
export class AppFeaturesController {
  constructor(
    private readonly apps: AppsQueryService,
    private readonly updateFeature: AppFeatureUpdateAction,
    private readonly url: ApiUrl,
  ) {}

  @Get()
  @ApiOperation({ summary: "An app's features" })
  async list(@CurrentPrincipal() p: Principal, @Param('guid', new GuidPipe('App')) guid: string) {
    const resources = this.present(await this.apps.getApp(visibilityOf(p), guid));
    const self = { href: this.url.to(`/v3/apps/${guid}/features`) };
    return {
      resources,
      pagination: {
        total_results: resources.length,
        total_pages: 1,
        first: self,
        last: self,
        next: null,
        previous: null,
      },
    };
  }

  @Get(':name')
  @ApiOperation({ summary: 'One app feature' })
  async get(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) guid: string,
    @Param('name') name: string,
  ): Promise<AppFeatureResource> {
    const app = await this.apps.getApp(visibilityOf(p), guid);
    return this.one(app, name);
  }

  @Patch(':name')
  @ApiOperation({ summary: 'Turn an app feature on or off' })
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('guid', new GuidPipe('App')) guid: string,
    @Param('name') name: string,
    @Body() body: AppFeatureUpdateRequest,
  ): Promise<AppFeatureResource> {
    const app = await this.updateFeature.execute({
      scope: visibilityOf(p),
      appGuid: guid,
      name,
      enabled: body.enabled,
      actor: actorOf(p),
    });
    return this.one(app, name);
  }

  private one(app: AppEntity, name: string): AppFeatureResource {
    const feature = this.present(app).find((f) => f.name === name);
    if (!feature) throw notFound('Feature');
    return feature;
  }

  private present(app: AppEntity): AppFeatureResource[] {
    return appFeatures(app).map((f) => ({
      name: f.name,
      description: APP_FEATURES[f.name],
      enabled: f.enabled,
    }));
  }
}
