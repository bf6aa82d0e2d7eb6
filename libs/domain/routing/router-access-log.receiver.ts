import { createSocket, Socket } from 'node:dgram';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { LogBatchWriter, LogStore } from '@wharf/platform/logstream';
import { routerAccessLine } from './router-access-log';

const RETRY_BIND_MS = 5000;
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
  private socket: Socket | null = null;
  private retry: NodeJS.Timeout | null = null;
  private sweep: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly writers = new Map<string, { writer: LogBatchWriter; used: number }>();

  constructor(
    private readonly logs: LogStore,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.router.accessLogPort <= 0) return;
    this.bind();
    this.sweep = setInterval(() => void this.closeIdle(), IDLE_WRITER_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.sweep) clearInterval(this.sweep);
    this.socket?.close();
    await Promise.all([...this.writers.values()].map((w) => w.writer.close()));
  }

  private bind(): void {
    if (this.stopped) return;
    const socket = createSocket({ type: 'udp4' });
    socket.on('message', (msg) => this.receive(msg.toString('utf8')));
    socket.once('error', (err) => {
      socket.close();
      if (this.socket === socket) this.socket = null;
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE')
        this.logger.warn(`access log socket: ${err.message}`);
      this.retry = setTimeout(() => this.bind(), RETRY_BIND_MS);
    });
    socket.bind(this.config.router.accessLogPort, '127.0.0.1', () => {
      this.socket = socket;
      this.logger.log(
        `receiving the router's access log on udp 127.0.0.1:${this.config.router.accessLogPort}`,
      );
    });
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
