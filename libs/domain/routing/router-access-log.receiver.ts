import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { LogBatchWriter, LogStore } from '@wharf/platform/logstream';
import { UdpListener } from '@wharf/platform/router';
import { routerAccessLine } from './router-access-log';

const IDLE_WRITER_MS = 60_000;

/**
 * Receives HAProxy's access log (UDP on 127.0.0.1, one JSON record per request) and writes each
 * request that reached an instance into that app's log as `[RTR/0]`, like Cloud Foundry's router.
 * One worker on the router's machine holds the port; another one takes it over when that worker
 * stops (it retries the bind every 5 s). Records are not acknowledged: a line sent while no worker
 * listens is lost, the request itself is not affected.
 */
@Injectable()
export class RouterAccessLogReceiver implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RouterAccessLog');
  private listener: UdpListener | null = null;
  private sweep: NodeJS.Timeout | null = null;
  private readonly writers = new Map<string, { writer: LogBatchWriter; used: number }>();

  constructor(
    private readonly logs: LogStore,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.router.accessLogPort <= 0) return;
    this.listener = new UdpListener(
      this.config.router.accessLogPort,
      (datagram) => this.receive(datagram),
      (event, detail) =>
        event === 'listening'
          ? this.logger.log(`receiving the router's access log on ${detail}`)
          : this.logger.warn(`access log socket: ${detail}`),
    );
    this.listener.start();
    this.sweep = setInterval(() => void this.closeIdle(), IDLE_WRITER_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.listener?.stop();
    if (this.sweep) clearInterval(this.sweep);
    await Promise.all([...this.writers.values()].map((w) => w.writer.close()));
  }

  private receive(datagram: string): void {
    const line = routerAccessLine(datagram.trim());
    if (!line) return;
    let entry = this.writers.get(line.appGuid);
    if (!entry) {
      entry = { writer: new LogBatchWriter(this.logs, line.appGuid, 'RTR', '0'), used: 0 };
      this.writers.set(line.appGuid, entry);
    }
    entry.used = Date.now();
    entry.writer.out(line.message);
  }

  private async closeIdle(): Promise<void> {
    const now = Date.now();
    for (const [guid, entry] of this.writers) {
      if (now - entry.used < IDLE_WRITER_MS) continue;
      this.writers.delete(guid);
      await entry.writer.close();
    }
  }
}
