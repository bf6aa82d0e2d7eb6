import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RootResponse } from '@wharf/contracts';
import { ApiUrl } from '../common/api-url';
import { Public } from '../common/public.decorator';

/** CF's discovery documents: clients find every other endpoint from here. */
@ApiTags('root')
@Public()
@Controller()
export class RootController {
  constructor(private readonly url: ApiUrl) {}

  @Get()
  @ApiOperation({ summary: 'Global API root: links to the v3 API and the token endpoint' })
  root(): RootResponse {
    const u = this.url;
    return {
      links: {
        self: { href: u.base },
        cloud_controller_v2: null,
        cloud_controller_v3: { href: u.to('/v3'), meta: { version: '3.180.0' } },
        network_policy_v0: null,
        network_policy_v1: null,
        login: { href: u.base },
        uaa: { href: u.base },
        credhub: null,
        routing: null,
        logging: null,
        log_cache: { href: u.base },
        log_stream: null,
        app_ssh: null,
        docs: { href: u.to('/docs') },
        openapi: { href: u.to('/docs/openapi.json') },
      },
    };
  }

  @Get('v3')
  @ApiOperation({ summary: 'V3 API root: links to each resource collection' })
  v3(): RootResponse {
    // Only collections this API serves; each issue adds its own.
    const resources = [
      'apps',
      'audit_events',
      'builds',
      'buildpacks',
      'domains',
      'droplets',
      'jobs',
      'organizations',
      'packages',
      'processes',
      'resource_matches',
      'routes',
      'service_credential_bindings',
      'service_instances',
      'spaces',
    ];
    const links: RootResponse['links'] = { self: { href: this.url.to('/v3') } };
    for (const r of resources) links[r] = { href: this.url.to(`/v3/${r}`) };
    return { links };
  }
}
