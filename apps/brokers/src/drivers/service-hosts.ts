import { Inject, Injectable } from '@nestjs/common';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { WHARF_CONFIG, type WharfConfig } from '@wharf/platform/config';

/** The DNS zone of the built-in service containers, answered by the apps' dnsmasq. */
export const SERVICES_ZONE = 'services.internal';

/**
 * The names apps reach service containers by (`redis-<12 hex>.services.internal`), as a hosts
 * file in dnsmasq's hosts directory beside the routing sync's apps.internal one. Credentials carry
 * the name, never the container's address, so a container the keeper creates again (another
 * address) is still reached with the credentials an app was bound with. Without a hosts directory
 * (no dnsmasq) there are no names: `enabled` is false and drivers hand out addresses.
 */
@Injectable()
export class ServiceHosts {
  private readonly entries = new Map<string, string>();
  private written: string | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(@Inject(WHARF_CONFIG) private readonly config: WharfConfig) {}

  get enabled(): boolean {
    return this.config.apps.discoveryHostsDir !== '';
  }

  address(name: string): string | undefined {
    return this.entries.get(name);
  }

  async set(name: string, ip: string): Promise<void> {
    this.entries.set(name, ip);
    await this.flush();
  }

  async delete(name: string): Promise<void> {
    this.entries.delete(name);
    await this.flush();
  }

  /** Every name at once (the keeper's pass): names not given are dropped. */
  async replace(entries: Map<string, string>): Promise<void> {
    this.entries.clear();
    for (const [name, ip] of entries) this.entries.set(name, ip);
    await this.flush();
  }

  /** Writes the file when it changed; writes queue so an older one never lands last. */
  private flush(): Promise<void> {
    const run = this.writing.then(() => this.write());
    this.writing = run.catch(() => undefined);
    return run;
  }

  private async write(): Promise<void> {
    const dir = this.config.apps.discoveryHostsDir;
    if (!dir) return;
    const text = [...this.entries]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, ip]) => `${ip} ${name}\n`)
      .join('');
    if (text === this.written) return;
    // Written beside the watched directory, then renamed into it: dnsmasq never reads half a file.
    const staging = join(dirname(dir), `${SERVICES_ZONE}.hosts.new`);
    await mkdir(dir, { recursive: true });
    await writeFile(staging, text);
    await rename(staging, join(dir, SERVICES_ZONE));
    this.written = text;
  }
}
