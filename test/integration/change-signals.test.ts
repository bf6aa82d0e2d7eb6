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

  it('never fails the sender, even with Redis unreachable', async () => {
    const config = testConfig({ WHARF_REDIS_URL: 'redis://127.0.0.1:1' });
    const connections = new RedisConnections(config);
    opened.push(connections);
    const signals = new ChangeSignals(connections, config);
    expect(() => signals.notify('routes')).not.toThrow();
    await sleep(500);
  });
});
