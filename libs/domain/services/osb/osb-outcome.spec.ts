import type { OsbResponse } from './osb-client';
import { createOutcome, deleteOutcome, pollOutcome } from './osb-outcome';
import { parseCatalog } from './osb-catalog';
import { pollDelayMs, pollingExpired } from '../broker-operation.support';

const answered = (status: number, body?: unknown, malformed = false): OsbResponse => ({
  kind: 'answered',
  status,
  body,
  malformed,
  retryAfterSeconds: null,
});

describe('orphan mitigation table (OSB v2.17) for provision and bind', () => {
  it.each([
    ['201 with a JSON body', answered(201, { dashboard_url: 'x' }), 'done', false],
    ['200 with a JSON body', answered(200, {}), 'done', false],
    ['202', answered(202, { operation: 'op' }), 'async', false],
    ['201 whose body is not JSON', answered(201, undefined, true), 'failed', true],
    ['202 whose body is not JSON', answered(202, undefined, true), 'failed', true],
    ['an unexpected 2xx (204)', answered(204), 'failed', true],
    ['400', answered(400, { error: 'BadRequest' }), 'failed', false],
    ['409', answered(409, {}), 'failed', false],
    ['422 ConcurrencyError', answered(422, { error: 'ConcurrencyError' }), 'failed', false],
    ['408', answered(408), 'failed', true],
    ['500', answered(500, { error: 'Boom' }), 'failed', true],
    [
      'no answer (timeout)',
      { kind: 'unreachable', reason: 'no answer within 60 s' },
      'failed',
      true,
    ],
  ] as const)('%s → %s, mitigate %s', (_what, res, kind, mitigate) => {
    const outcome = createOutcome(res, 'provision');
    expect(outcome.kind).toBe(kind);
    if (outcome.kind === 'failed') expect(outcome.mitigate).toBe(mitigate);
  });

  it('a bind whose credentials are not an object is not accepted', () => {
    expect(createOutcome(answered(201, { credentials: 'secret' }), 'bind')).toMatchObject({
      kind: 'failed',
      mitigate: true,
    });
  });

  it("keeps the broker's error and description in the failure", () => {
    const outcome = createOutcome(answered(400, { error: 'Nope', description: 'too big' }), 'bind');
    expect(outcome).toMatchObject({
      description: 'The service broker returned status 400: Nope: too big',
    });
  });
});

describe('deletes and polls', () => {
  it('410 on delete means gone, which is what was asked', () => {
    expect(deleteOutcome(answered(410, {}))).toEqual({ kind: 'done', gone: true });
    expect(deleteOutcome(answered(200, {}))).toEqual({ kind: 'done', gone: false });
    expect(deleteOutcome(answered(500, {})).kind).toBe('failed');
  });

  it('reads last_operation states and retries on answers it cannot use', () => {
    expect(pollOutcome(answered(200, { state: 'in progress', description: 'half' }))).toMatchObject(
      {
        kind: 'in progress',
        description: 'half',
      },
    );
    expect(pollOutcome(answered(200, { state: 'succeeded' })).kind).toBe('succeeded');
    expect(pollOutcome(answered(200, { state: 'failed', description: 'x' })).kind).toBe('failed');
    expect(pollOutcome(answered(410, {})).kind).toBe('gone');
    expect(pollOutcome(answered(200, { state: 'weird' })).kind).toBe('retry');
    expect(pollOutcome(answered(503, {})).kind).toBe('retry');
  });

  it('polls after Retry-After when given, else 0.5 s doubling up to 15 s', () => {
    expect(pollDelayMs(1, 7)).toBe(7000);
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => pollDelayMs(n, null))).toEqual([
      500, 1000, 2000, 4000, 8000, 15000, 15000,
    ]);
  });

  it("stops polling after the plan's maximum_polling_duration, else the platform's", () => {
    const started = new Date(0);
    expect(pollingExpired(started, 10, 3600, 10_001)).toBe(true);
    expect(pollingExpired(started, 10, 3600, 9_000)).toBe(false);
    expect(pollingExpired(started, null, 3600, 3_600_001)).toBe(true);
  });
});

describe('catalog validation', () => {
  const plan = { id: 'p1', name: 'small', description: 'd' };
  const offering = { id: 's1', name: 'db', description: 'd', bindable: true, plans: [plan] };

  it('accepts a minimal catalog', () => {
    expect(parseCatalog({ services: [offering] })).toHaveProperty('catalog');
  });

  it('names missing fields and duplicate ids and names', () => {
    expect(parseCatalog({ services: [{ ...offering, bindable: undefined }] })).toEqual({
      problems: [expect.stringMatching(/^services\.0\.bindable: /)],
    });
    const dup = parseCatalog({
      services: [offering, { ...offering, plans: [plan, { ...plan, id: 'p2' }] }],
    });
    expect('problems' in dup ? dup.problems : []).toEqual(
      expect.arrayContaining([
        'service ids must be unique: s1',
        'service names must be unique: db',
        'plan ids must be unique: p1',
        'plan names of service db must be unique: small',
      ]),
    );
  });
});
