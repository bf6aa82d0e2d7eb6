import { createSocket, Socket } from 'node:dgram';

const RETRY_BIND_MS = 5000;

/**
 * Receives datagrams on 127.0.0.1:<port> (e.g. HAProxy's access log). When another process holds
 * the port it retries every 5 s, so of several processes on one machine exactly one listens and
 * another takes over when it stops.
 */
export class UdpListener {
  private socket: Socket | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly port: number,
    private readonly onMessage: (text: string) => void,
    private readonly onEvent: (event: 'listening' | 'error', detail: string) => void = () =>
      undefined,
  ) {}

  start(): void {
    if (this.stopped) return;
    const socket = createSocket({ type: 'udp4' });
    socket.on('message', (msg) => this.onMessage(msg.toString('utf8')));
    socket.once('error', (err) => {
      socket.close();
      if (this.socket === socket) this.socket = null;
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') this.onEvent('error', err.message);
      if (!this.stopped) this.retry = setTimeout(() => this.start(), RETRY_BIND_MS);
    });
    socket.bind(this.port, '127.0.0.1', () => {
      this.socket = socket;
      this.onEvent('listening', `udp 127.0.0.1:${this.port}`);
    });
  }

  get listening(): boolean {
    return this.socket !== null;
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.socket?.close();
    this.socket = null;
  }
}
