import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { RedisConnections } from './redis-connections';

/**
 * Raises a topic's applied mark to ARGV[1], never lowers it (a former holder of the applier's
 * lease, late, must not take it back), and tells the topic's `.applied` listeners when it moved.
 */
const ACKNOWLEDGE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local applied = tonumber(ARGV[1])
if applied > current then
  redis.call('SET', KEYS[1], ARGV[1])
  redis.call('PUBLISH', KEYS[2], '')
end
return current`;

/**
 * "Something changed, look again now": a Redis publish on `<queue prefix>:changed:<topic>`, heard
 * by every process of the installation that subscribed to the topic. A signal carries no data and
 * may be lost (Redis away, a subscriber reconnecting): a listener reads the state itself and
 * still polls it, and a signal only lets it look sooner than its next poll.
 *
 * A topic can also number its changes, for a writer that must know when the topic's applier
 * (one process, holding a lease) has taken a change into account: `record` numbers a change (a
 * counter in Redis) and signals it; the applier reads `latest` before it reads the state, applies
 * it, then `acknowledge`s that number; `progress` tells a writer both. A change numbered n was
 * committed before n existed, so an applier that read n before its own read of the state saw it.
 */
@Injectable()
export class ChangeSignals {
  private readonly logger = new Logger('ChangeSignals');
  private subscriber: Redis | null = null;
  private readonly listeners = new Map<string, Set<() => void>>();

  constructor(
    private readonly redis: RedisConnections,
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
  ) {}

  /** Tells the topic's listeners; never fails the caller (the listeners' polls catch up). */
  notify(topic: string): void {
    this.redis.client
      .publish(this.channel(topic), '')
      .catch((err: Error) => this.logger.warn(`signal ${topic} not sent: ${err.message}`));
  }

  /** Numbers a change of `topic` (each number above the last) and signals it. */
  async record(topic: string): Promise<number> {
    const number = await this.redis.client.incr(this.key(topic, 'latest'));
    this.notify(topic);
    return number;
  }

  /**
   * The number of the topic's last recorded change and how far its applier has acknowledged,
   * both 0 when none. `latest` below a number a writer holds means Redis lost its data: that
   * writer records its change again.
   */
  async progress(topic: string): Promise<{ latest: number; applied: number }> {
    const [latest, applied] = await this.redis.client.mget(
      this.key(topic, 'latest'),
      this.key(topic, 'applied'),
    );
    return { latest: Number(latest ?? 0), applied: Number(applied ?? 0) };
  }

  /** The applier has taken every change up to `number` into account; heard on `<topic>.applied`. */
  async acknowledge(topic: string, number: number): Promise<void> {
    await this.redis.client.eval(
      ACKNOWLEDGE,
      2,
      this.key(topic, 'applied'),
      this.channel(`${topic}.applied`),
      String(number),
    );
  }

  /** Calls `listener` on each signal of `topic` (from any process) until the returned stop. */
  listen(topic: string, listener: () => void): () => void {
    const channel = this.channel(topic);
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      this.connection()
        .subscribe(channel)
        .catch((err: Error) => this.logger.warn(`cannot listen to ${topic}: ${err.message}`));
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  private connection(): Redis {
    if (this.subscriber) return this.subscriber;
    // A subscribed connection can send nothing else: one of its own, closed with the others.
    const sub = this.redis.dedicated({ maxRetriesPerRequest: null });
    sub.on('message', (channel: string) => {
      for (const listener of this.listeners.get(channel) ?? []) listener();
    });
    this.subscriber = sub;
    return sub;
  }

  private key(topic: string, which: 'latest' | 'applied'): string {
    return `${this.config.queuePrefix}:changes:${topic}:${which}`;
  }

  private channel(topic: string): string {
    return `${this.config.queuePrefix}:changed:${topic}`;
  }
}
