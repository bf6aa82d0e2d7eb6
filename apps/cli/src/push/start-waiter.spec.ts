import type { ProcessInstanceStats } from '@wharf/contracts';
import type { ApiClient } from '../http/api.client';
import { waitForStart } from './start-waiter';

const instance = (
  over: Partial<ProcessInstanceStats> & Pick<ProcessInstanceStats, 'state'>,
): Partial<ProcessInstanceStats> => ({ index: 0, instance_guid: 'i-old', details: null, ...over });

/**
 * An API that answers the app's one web process and, at each stats call, the next answer of
 * `answers` (the last one repeats); counts the stats calls.
 */
function api(answers: Partial<ProcessInstanceStats>[][], droplet = 'd-new') {
  let calls = 0;
  const client = {
    listAll: () =>
      Promise.resolve([{ guid: 'p-web', instances: 1, health_check: { data: { timeout: 60 } } }]),
    get: (path: string) => {
      if (path.endsWith('/droplets/current')) return Promise.resolve({ guid: droplet });
      const resources = answers[Math.min(calls, answers.length - 1)];
      calls++;
      return Promise.resolve({ resources });
    },
  };
  return { client: client as unknown as ApiClient, calls: () => calls };
}

describe('waitForStart', () => {
  const app = { guid: 'a', name: 'app' };

  it('does not count a running instance of another droplet', async () => {
    const { client, calls } = api([
      [instance({ state: 'RUNNING', droplet_guid: 'd-old' })],
      [instance({ state: 'STOPPING', droplet_guid: 'd-old' })],
      [instance({ state: 'STARTING', droplet_guid: 'd-new', instance_guid: 'i-new' })],
      [instance({ state: 'RUNNING', droplet_guid: 'd-new', instance_guid: 'i-new' })],
    ]);
    await waitForStart(client, app, { droplet: 'd-new', pollMs: 1 });
    expect(calls()).toBe(4);
  });

  it("waits for the app's current droplet when none is given", async () => {
    const { client, calls } = api(
      [
        [instance({ state: 'RUNNING', droplet_guid: 'd-old' })],
        [instance({ state: 'RUNNING', droplet_guid: 'd-cur', instance_guid: 'i-new' })],
      ],
      'd-cur',
    );
    await waitForStart(client, app, { pollMs: 1 });
    expect(calls()).toBe(2);
  });

  it('fails when every instance of the new droplet crashed, whatever the old ones do', async () => {
    const { client } = api([
      [
        instance({ state: 'RUNNING', droplet_guid: 'd-old' }),
        instance({ index: 1, state: 'CRASHED', droplet_guid: 'd-new', instance_guid: 'i-new' }),
      ],
    ]);
    await expect(waitForStart(client, app, { droplet: 'd-new', pollMs: 1 })).rejects.toThrow(
      'Start unsuccessful',
    );
  });
});
