import { Inject, Injectable } from '@nestjs/common';
import { WHARF_CONFIG, type WharfConfig } from '@wharf/platform/config';
import { CONTAINER_RUNTIME, type ContainerRuntime } from '@wharf/platform/runtime';
import { ContainerServiceDriver } from './container-service.driver';
import { ServiceImageBuilder } from './service-image.builder';

/**
 * memcached: Debian's memcached in a container per instance, its cache size by plan. A pure cache
 * keeps no volume. Memcached has no password (its SASL needs a binary-protocol client), so an
 * instance is reachable by any container on the apps network that knows its address.
 */
@Injectable()
export class MemcachedDriver extends ContainerServiceDriver {
  constructor(
    @Inject(CONTAINER_RUNTIME) runtime: ContainerRuntime,
    images: ServiceImageBuilder,
    @Inject(WHARF_CONFIG) config: WharfConfig,
  ) {
    super(
      {
        service: 'memcached',
        dockerfile: [
          // No service starts during the build (there is no init to start it with anyway).
          `RUN printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d \\`,
          `  && apt-get update && apt-get install -y --no-install-recommends memcached \\`,
          `  && apt-get clean && rm -rf /var/lib/apt/lists/* /usr/sbin/policy-rc.d`,
          '',
        ].join('\n'),
        port: 11211,
        user: 'memcache',
        secrets: () => ({}),
        command: (plan) => [
          'memcached',
          '--port=11211',
          '--listen=0.0.0.0',
          `--memory-limit=${plan.memoryMb ?? 64}`,
          '--conn-limit=1024',
        ],
        env: () => ({}),
        // The text protocol's `version` over bash's /dev/tcp: no client in the image needed.
        readyCheck: () => [
          'bash',
          '-c',
          'exec 3<>/dev/tcp/127.0.0.1/11211 && printf "version\\r\\n" >&3 && read -t 2 -r line <&3 && [[ $line == VERSION* ]]',
        ],
        credentials: (host, port) => ({ host, port, servers: [`${host}:${port}`] }),
      },
      runtime,
      images,
      config,
    );
  }
}
