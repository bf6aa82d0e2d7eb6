import { Inject, Injectable, Optional } from '@nestjs/common';
import { requireDeveloper, Visibility } from '@wharf/access';
import { IdentityQueryService } from '@wharf/identity';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { APP_ROUTE_URIS, AppRouteUris } from './app-route-uris.port';
import { APP_SERVICE_BINDINGS, AppServiceBindings } from './app-service-bindings.port';
import { AppsQueryService } from './apps-query.service';
import { buildVcapApplication, VcapApplicationInput, VcapApplication } from './vcap-application';

export interface AppEnvironment {
  environmentVariables: Record<string, string>;
  /** Environment-variable groups arrive with the tenancy issue; empty until then. */
  stagingEnv: Record<string, string>;
  runningEnv: Record<string, string>;
  vcapServices: Record<string, unknown[]>;
  /** From the first binding whose credentials have a `uri` (set after VCAP_SERVICES). */
  databaseUrl: string | null;
  vcapApplication: VcapApplication;
}

/** GET /v3/apps/:guid/env: what the app's processes see, as far as it is known before they run. */
@Injectable()
export class AppEnvironmentService {
  constructor(
    private readonly apps: AppsQueryService,
    private readonly identity: IdentityQueryService,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
    @Optional() @Inject(APP_ROUTE_URIS) private readonly routeUris?: AppRouteUris,
    @Optional() @Inject(APP_SERVICE_BINDINGS) private readonly bindings?: AppServiceBindings,
  ) {}

  /**
   * With `process`, VCAP_APPLICATION also carries the instance's process, limits and version;
   * `variables` stand for the app's own (an instance runs its revision's, see AppLaunchTargets).
   */
  async describe(
    scope: Visibility,
    guid: string,
    process?: VcapApplicationInput['process'],
    variables?: Record<string, string>,
  ): Promise<AppEnvironment> {
    const app = await this.apps.getApp(scope, guid);
    // Environment values and service credentials are secrets: auditors and managers get a 403.
    requireDeveloper(scope, app.spaceGuid);
    const space = await this.identity.getSpace(scope, app.spaceGuid);
    const organization = await this.identity.getOrganizationOfSpace(space);
    const services = (await this.bindings?.environmentOf(app.guid)) ?? {
      vcapServices: {},
      databaseUrl: null,
    };
    return {
      environmentVariables: variables ?? app.environmentVariables,
      stagingEnv: {},
      runningEnv: {},
      vcapServices: services.vcapServices,
      databaseUrl: services.databaseUrl,
      vcapApplication: buildVcapApplication({
        app,
        space,
        organization,
        cfApi: this.config.api.url,
        uris: (await this.routeUris?.urisOf(app.guid)) ?? [],
        ...(process ? { process } : {}),
      }),
    };
  }
}
