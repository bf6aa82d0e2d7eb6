import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { JobResource } from '@wharf/contracts';
import { JobBus, jobId, JobRecordRepository } from '@wharf/platform/queue';
import { redisConnection } from '@wharf/platform/redis';
import { startTestPlatform, TestPlatform } from '../support/test-platform';

jest.setTimeout(60_000);

describe('a platform whose Docker engine is unreachable', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform({ dockerHost: 'unix:///nonexistent/docker.sock' });
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('answers /healthz with 503 naming docker as down and the others up', async () => {
    const res = await fetch(`${platform.url}/healthz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as {
      status: string;
      checks: Record<string, { status: string; detail?: string }>;
    };
    expect(body.status).toBe('unavailable');
    expect(body.checks.postgres?.status).toBe('up');
    expect(body.checks.redis?.status).toBe('up');
    expect(body.checks.docker?.status).toBe('down');
    expect(body.checks.docker?.detail).toContain('unix:///nonexistent/docker.sock');
  });
});

describe('JobBus', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform();
    // Only the bus is under test here: stop consuming so enqueued jobs stay visible.
    await platform.worker.close();
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('enqueues the same work once while it is pending (deterministic job ids)', async () => {
    const bus = platform.api.get(JobBus);
    const organizationGuid = randomUUID();
    const payload = { jobGuid: randomUUID(), organizationGuid };
    await bus.enqueue('organization.delete', payload, { key: organizationGuid });
    await bus.enqueue('organization.delete', payload, { key: organizationGuid });
    await bus.enqueue(
      'organization.delete',
      { ...payload, organizationGuid: randomUUID() },
      { key: 'other' },
    );

    const queue = new Queue('identity', {
      connection: redisConnection(platform.config.redisUrl),
      prefix: platform.config.queuePrefix,
    });
    try {
      const counts = await queue.getJobCounts('waiting', 'delayed', 'active');
      expect((counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.active ?? 0)).toBe(2);
      const job = await queue.getJob(jobId('organization.delete', organizationGuid));
      expect(job?.data).toEqual(payload);
      expect(job?.opts.attempts).toBeGreaterThan(1);
      expect(job?.opts.backoff).toEqual(expect.objectContaining({ type: 'exponential' }));
    } finally {
      await queue.close();
    }
  });
});

describe('user-visible jobs', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('end FAILED, not PROCESSING, when their work can never succeed', async () => {
    const admin = await platform.login('admin', { admin: true });
    const record = await platform.api.get(JobRecordRepository).create({
      operation: 'app.delete',
      resourceType: 'app',
      resourceGuid: randomUUID(),
      userGuid: null,
    });
    // A payload the processor refuses (UnrecoverableError): no retry can help.
    await platform.api
      .get(JobBus)
      .enqueue('app.delete', { jobGuid: record.guid, appGuid: 'not-a-guid' }, { key: record.guid });
    let job: JobResource | undefined;
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${platform.url}/v3/jobs/${record.guid}`, {
        headers: { authorization: `bearer ${admin}` },
      });
      job = (await res.json()) as JobResource;
      if (job.state !== 'PROCESSING') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job?.state).toBe('FAILED');
    expect(job?.errors[0]?.detail).toContain('payload needs jobGuid and appGuid');
  });
});
