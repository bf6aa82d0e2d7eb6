import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { RedisConnections } from './redis-connections';

/**
 * "Something changed, look again now": a Redis publish on `<queue prefix>:changed:<topic>`, heard
 * by every process of the installation that subscribed to the topic. A signal carries no data and
 * may be lost (Redis away, a subscriber reconnecting): a listener reads the state itself and
 * still polls it, and a signal only lets it look sooner than its next poll.
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

  private channel(topic: string): string {
    return `${this.config.queuePrefix}:changed:${topic}`;
  }
}
