import { Inject, Injectable } from '@nestjs/common';
import { WHARF_CONFIG, type WharfConfig } from '@wharf/platform/config';
import { CONTAINER_RUNTIME, type ContainerRuntime } from '@wharf/platform/runtime';
import { ContainerServiceDriver, generatedPassword } from './container-service.driver';
import { ServiceImageBuilder } from './service-image.builder';

/**
 * redis: Debian's redis-server in a container per instance, with a generated password
 * (requirepass), maxmemory by plan, and its append-only file on the instance's volume.
 */
@Injectable()
export class RedisDriver extends ContainerServiceDriver {
  constructor(
    @Inject(CONTAINER_RUNTIME) runtime: ContainerRuntime,
    images: ServiceImageBuilder,
    @Inject(WHARF_CONFIG) config: WharfConfig,
  ) {
    super(
      {
        service: 'redis',
        dockerfile: [
          // No service starts during the build (there is no init to start it with anyway).
          `RUN printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d \\`,
          `  && apt-get update && apt-get install -y --no-install-recommends redis-server \\`,
          `  && apt-get clean && rm -rf /var/lib/apt/lists/* /usr/sbin/policy-rc.d \\`,
          // A new named volume takes this directory's owner: redis may write its data there.
          `  && mkdir -p /data && chown redis:redis /data`,
          '',
        ].join('\n'),
        port: 6379,
        dataDir: '/data',
        user: 'redis',
        secrets: () => ({ password: generatedPassword() }),
        command: (plan) => [
          'bash',
          '-c',
          'exec redis-server --port 6379 --bind 0.0.0.0 --protected-mode no --dir /data ' +
            '--appendonly yes --save "" --daemonize no --logfile "" ' +
            `--maxmemory ${plan.memoryMb ?? 64}mb --maxmemory-policy allkeys-lru ` +
            '--requirepass "$REDIS_PASSWORD"',
        ],
        env: (secrets) => ({ REDIS_PASSWORD: secrets.password ?? '' }),
        readyCheck: () => [
          'bash',
          '-c',
          '[ "$(REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -p 6379 ping)" = PONG ]',
        ],
        credentials: (host, port, secrets) => ({
          host,
          port,
          password: secrets.password,
          uri: `redis://:${secrets.password}@${host}:${port}`,
        }),
      },
      runtime,
      images,
      config,
    );
  }
}
