import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { ChangeSignals, RedisConnections } from '@wharf/platform/redis';
import { testConfig } from '../support/test-env';
import { sleep, until } from '../support/wait';

jest.setTimeout(30_000);

/**
 * ChangeSignals against the real test Redis, each side with connections of its own as each
 * process of an installation has; the queue prefix stands for the installation.
 */
describe('ChangeSignals', () => {
  const prefix = `wharf-it-signals-${randomBytes(4).toString('hex')}`;
  const opened: RedisConnections[] = [];
  function processOf(queuePrefix = prefix): ChangeSignals {
    const config = testConfig({ WHARF_QUEUE_PREFIX: queuePrefix });
    const connections = new RedisConnections(config);
    opened.push(connections);
    return new ChangeSignals(connections, config);
  }

  beforeAll(() => {
    Logger.overrideLogger(['error']);
  });
  afterAll(() => Promise.all(opened.map((c) => c.onApplicationShutdown())));

  it("reaches the topic's listeners in other processes of the installation, and only them", async () => {
    const api = processOf();
    const worker = processOf();
    const other = processOf(`${prefix}-other`);
    const heard = { worker: 0, workerOtherTopic: 0, other: 0 };
    const stop = worker.listen('routes', () => heard.worker++);
    worker.listen('certificates', () => heard.workerOtherTopic++);
    other.listen('routes', () => heard.other++);
    // A subscription is made asynchronously: signals sent before it is in place are lost,
    // which listeners tolerate by polling. Send until the first one is heard.
    await until(
      'the first signal heard',
      () => {
        if (heard.worker === 0) api.notify('routes');
        return heard.worker > 0;
      },
      5000,
    );
    const before = heard.worker;
    api.notify('routes');
    api.notify('routes');
    await until('two more signals heard', () => heard.worker === before + 2, 5000);
    expect(heard.workerOtherTopic).toBe(0);
    expect(heard.other).toBe(0);

    stop();
    api.notify('routes');
    await sleep(300);
    expect(heard.worker).toBe(before + 2);
  });

  it('numbers changes; the applied mark only rises and is heard on <topic>.applied', async () => {
    const writer = processOf();
    const applier = processOf();
    const topic = `numbered-${randomBytes(2).toString('hex')}`;
    expect(await writer.progress(topic)).toEqual({ latest: 0, applied: 0 });
    const first = await writer.record(topic);
    const second = await writer.record(topic);
    expect(second).toBeGreaterThan(first);
    expect(await applier.progress(topic)).toEqual({ latest: second, applied: 0 });

    let heard = 0;
    writer.listen(`${topic}.applied`, () => heard++);
    await until(
      'the first acknowledgement heard',
      async () => {
        // Each try raises the mark: a listener not subscribed yet hears a later one.
        const { applied } = await applier.progress(topic);
        if (heard === 0) await applier.acknowledge(topic, applied + 1);
        return heard > 0;
      },
      5000,
    );
    const { applied } = await writer.progress(topic);
    expect(applied).toBeGreaterThanOrEqual(1);
    // A late former applier acknowledging less changes nothing and says nothing.
    const before = heard;
    await applier.acknowledge(topic, applied - 1);
    await sleep(300);
    expect((await writer.progress(topic)).applied).toBe(applied);
    expect(heard).toBe(before);
  });

  it('never fails the sender, even with Redis unreachable', async () => {
    const config = testConfig({ WHARF_REDIS_URL: 'redis://127.0.0.1:1' });
    const connections = new RedisConnections(config);
    opened.push(connections);
    const signals = new ChangeSignals(connections, config);
    expect(() => signals.notify('routes')).not.toThrow();
    await sleep(500);
  });
});
