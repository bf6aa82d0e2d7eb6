import { Inject, Injectable } from '@nestjs/common';
import { WHARF_CONFIG, type WharfConfig } from '@wharf/platform/config';
import { CONTAINER_RUNTIME, type ContainerRuntime } from '@wharf/platform/runtime';
import type { BindingRecord, InstanceRecord } from '../store/broker-records';
import { ContainerServiceDriver, generatedPassword } from './container-service.driver';
import type { BindResult } from './service-driver';
import { ServiceHosts } from './service-hosts';
import {
  type FileOwner,
  fileFromTar,
  tarOfFile,
  withoutUser,
  withUser,
} from './memcached-auth-file';
import { ServiceImageBuilder } from './service-image.builder';
import { uriHost } from './service-uri';

const PORT = 11211;
const DATA_DIR = '/data';
const USERS_FILE = 'auth.users';
const USERS = `${DATA_DIR}/${USERS_FILE}`;

/**
 * A shell snippet that authenticates as user:password with the text protocol (a first `set` whose
 * value is "user password") and then asks the version; exits 0 when both succeed.
 */
const AUTH_CHECK =
  'exec 3<>/dev/tcp/127.0.0.1/11211 && s="$1 $2" && printf "set auth 0 0 ${#s}\\r\\n%s\\r\\nversion\\r\\n" "$s" >&3 ' +
  '&& read -t 2 -r a <&3 && read -t 2 -r v <&3 && [[ $a == STORED* && $v == VERSION* ]]';

/**
 * memcached: Debian's memcached in a container per instance, its cache size by plan. Access is by
 * the text protocol's authentication (memcached -Y, an auth file re-read on SIGHUP): each binding
 * gets a user of its own, unbind removes it; the broker's own user (`wharf`, the instance's
 * password) only checks readiness. The auth file sits on a small volume so a replaced container
 * keeps its bindings' users; the cache itself is not kept.
 */
@Injectable()
export class MemcachedDriver extends ContainerServiceDriver {
  constructor(
    @Inject(CONTAINER_RUNTIME) runtime: ContainerRuntime,
    images: ServiceImageBuilder,
    @Inject(WHARF_CONFIG) config: WharfConfig,
    hosts: ServiceHosts,
  ) {
    super(
      {
        service: 'memcached',
        dockerfile: [
          // No service starts during the build (there is no init to start it with anyway).
          `RUN printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d \\`,
          `  && apt-get update && apt-get install -y --no-install-recommends memcached \\`,
          `  && apt-get clean && rm -rf /var/lib/apt/lists/* /usr/sbin/policy-rc.d \\`,
          // A new named volume takes this directory's owner: memcached may write its users there.
          `  && mkdir -p /data && chown memcache:memcache /data`,
          '',
        ].join('\n'),
        port: PORT,
        dataDir: DATA_DIR,
        user: 'memcache',
        secrets: () => ({ password: generatedPassword() }),
        command: (plan) => [
          'bash',
          '-c',
          // The broker's line is written afresh at every start; the bindings' lines are kept.
          `touch ${USERS} && sed -i "/^wharf:/d" ${USERS} && echo "wharf:$MEMCACHED_PASSWORD" >> ${USERS} && ` +
            `exec memcached --port=${PORT} --listen=0.0.0.0 --memory-limit=${plan.memoryMb ?? 64} ` +
            `--conn-limit=1024 --auth-file=${USERS}`,
        ],
        env: (secrets) => ({ MEMCACHED_PASSWORD: secrets.password ?? '' }),
        readyCheck: () => ['bash', '-c', `set -- wharf "$MEMCACHED_PASSWORD"; ${AUTH_CHECK}`],
        credentials: (host, port) => ({ host, port, servers: [`${uriHost(host)}:${port}`] }),
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
    await this.changeUsers(instance, (text) => withUser(text, username, password));
    await this.waitForUser(instance, username, password);
    const servers = [`${uriHost(host)}:${PORT}`];
    return {
      credentials: { host, port: PORT, servers, username, password },
      resource: { host, username },
      endpoints: base.endpoints,
    };
  }

  /** Removes the binding's user: new connections with its password are refused. */
  override async unbind(instance: InstanceRecord, binding: BindingRecord): Promise<void> {
    const username = binding.resource.username;
    if (!username || !(await this.findContainer(instance.id))) return;
    await this.changeUsers(instance, (text) => withoutUser(text, username));
  }

  /**
   * Rewrites the auth file from here (read out of the container, edited, put back as an archive:
   * no user name or password is ever part of a command) and has memcached re-read it (SIGHUP via
   * its init).
   */
  private async changeUsers(
    instance: InstanceRecord,
    edit: (text: string) => string,
  ): Promise<void> {
    const id = await this.findContainer(instance.id);
    if (!id) throw new Error(`the memcached container of instance ${instance.id} is gone`);
    const text = await fileFromTar(
      (await this.runtime.getArchive(id, USERS)) as AsyncIterable<Buffer>,
      USERS_FILE,
    );
    // Its start command writes the file before memcached starts, as the container's user.
    if (text === null) throw new Error(`the memcached container ${id} has no ${USERS}`);
    const next = edit(text);
    if (next !== text)
      await this.runtime.putArchive(
        id,
        DATA_DIR,
        tarOfFile(USERS_FILE, next, await this.containerUser(id)),
      );
    const r = await this.runtime.exec(id, { cmd: ['bash', '-c', 'kill -HUP 1'] });
    if (r.exitCode !== 0)
      throw new Error(`changing the memcached users failed: ${(r.stderr || r.stdout).trim()}`);
  }

  /** The uid and gid the container runs as (memcached's), which is to own the auth file. */
  private async containerUser(id: string): Promise<FileOwner> {
    const r = await this.runtime.exec(id, { cmd: ['id', '-u'] });
    const g = await this.runtime.exec(id, { cmd: ['id', '-g'] });
    const uid = Number(r.stdout.trim());
    const gid = Number(g.stdout.trim());
    if (r.exitCode !== 0 || g.exitCode !== 0 || !Number.isInteger(uid) || !Number.isInteger(gid))
      throw new Error(
        `the memcached container ${id} did not tell its user: ${r.stderr}${g.stderr}`,
      );
    return { uid, gid };
  }

  /** memcached re-reads the file on its next clock tick (about a second): wait for the user. */
  private async waitForUser(
    instance: InstanceRecord,
    username: string,
    password: string,
  ): Promise<void> {
    const id = await this.findContainer(instance.id);
    if (!id) throw new Error(`the memcached container of instance ${instance.id} is gone`);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const r = await this.runtime.exec(id, {
        cmd: ['bash', '-c', AUTH_CHECK, 'check', username, password],
      });
      if (r.exitCode === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`memcached did not take the change of user ${username} within 10 s`);
  }
}
