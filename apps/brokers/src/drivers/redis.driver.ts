import { Inject, Injectable } from '@nestjs/common';
import { WHARF_CONFIG, type WharfConfig } from '@wharf/platform/config';
import { CONTAINER_RUNTIME, type ContainerRuntime } from '@wharf/platform/runtime';
import type { BindingRecord, InstanceRecord } from '../store/broker-records';
import { ContainerServiceDriver, generatedPassword } from './container-service.driver';
import type { BindResult } from './service-driver';
import { ServiceHosts } from './service-hosts';
import { ServiceImageBuilder } from './service-image.builder';
import { serviceUri } from './service-uri';

const PORT = 6379;

/**
 * redis: Debian's redis-server in a container per instance, maxmemory by plan, its append-only
 * file on the instance's volume. The instance's generated password (the `default` user) is the
 * broker's alone; each binding gets an ACL user of its own (every command but the @admin ones),
 * kept in an ACL file on the volume, so unbind deletes exactly that user and Redis drops its
 * connections.
 */
@Injectable()
export class RedisDriver extends ContainerServiceDriver {
  constructor(
    @Inject(CONTAINER_RUNTIME) runtime: ContainerRuntime,
    images: ServiceImageBuilder,
    @Inject(WHARF_CONFIG) config: WharfConfig,
    hosts: ServiceHosts,
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
          // With an ACL file Redis ignores requirepass: the file's `default` line carries the
          // instance password (as its SHA-256), written afresh at every start; the bindings'
          // users are the other lines, kept by ACL SAVE.
          'touch /data/users.acl && sed -i "/^user default /d" /data/users.acl && ' +
            'echo "user default on #$(printf %s "$REDIS_PASSWORD" | sha256sum | cut -d" " -f1) ~* &* +@all" >> /data/users.acl && ' +
            'exec redis-server --port 6379 --bind 0.0.0.0 --protected-mode no --dir /data ' +
            '--aclfile /data/users.acl ' +
            '--appendonly yes --save "" --daemonize no --logfile "" ' +
            `--maxmemory ${plan.memoryMb ?? 64}mb --maxmemory-policy allkeys-lru`,
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
          uri: serviceUri({
            scheme: 'redis',
            host,
            port,
            username: '',
            password: secrets.password,
          }),
        }),
      },
      runtime,
      images,
      config,
      hosts,
    );
  }

  override async bind(instance: InstanceRecord, bindingId: string): Promise<BindResult> {
    const base = await super.bind(instance, bindingId);
    const host = base.resource.host ?? '';
    const username = `binding-${bindingId}`;
    const password = generatedPassword();
    await this.redisCli(instance, [
      ['ACL', 'SETUSER', username, 'reset', 'on', `>${password}`, '~*', '&*', '+@all', '-@admin'],
      ['ACL', 'SAVE'],
    ]);
    return {
      credentials: {
        host,
        port: PORT,
        username,
        password,
        uri: serviceUri({ scheme: 'redis', host, port: PORT, username, password }),
      },
      resource: { host, username },
      endpoints: base.endpoints,
    };
  }

  /** Deletes the binding's user; Redis closes the connections that authenticated as it. */
  override async unbind(instance: InstanceRecord, binding: BindingRecord): Promise<void> {
    const username = binding.resource.username;
    if (!username || !(await this.findContainer(instance.id))) return;
    await this.redisCli(instance, [
      ['ACL', 'DELUSER', username],
      ['ACL', 'SAVE'],
    ]);
  }

  /** redis-cli in the instance's container as `default` (its password stays in the container). */
  private async redisCli(instance: InstanceRecord, commands: string[][]): Promise<void> {
    const id = await this.findContainer(instance.id);
    if (!id) throw new Error(`the redis container of instance ${instance.id} is gone`);
    for (const args of commands) {
      const r = await this.runtime.exec(id, {
        cmd: [
          'bash',
          '-c',
          'REDISCLI_AUTH="$REDIS_PASSWORD" exec redis-cli -p 6379 "$@"',
          'redis-cli',
          ...args,
        ],
      });
      const out = r.stdout.trim();
      // redis-cli exits 0 on an error reply too.
      if (r.exitCode !== 0 || /^(ERR|WRONGPASS|NOAUTH|NOPERM)/.test(out))
        throw new Error(`redis ${args.slice(0, 2).join(' ')} failed: ${out || r.stderr.trim()}`);
    }
  }
}
