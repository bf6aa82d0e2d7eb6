import 'reflect-metadata';
import { JOB_NAMES } from '@wharf/contracts';
import { JobHandler } from './job-handler.decorator';
import { collectHandlers } from './job-worker.host';

@JobHandler('organization.delete')
class OrgDelete {
  handle = (): Promise<void> => Promise.resolve();
}
@JobHandler('space.delete')
class SpaceDelete {
  handle = (): Promise<void> => Promise.resolve();
}
/** One handler class per remaining job name, as the worker's modules provide them. */
const others = JOB_NAMES.filter((n) => n !== 'organization.delete' && n !== 'space.delete').map(
  (name) => {
    class Handler {
      handle = (): Promise<void> => Promise.resolve();
    }
    JobHandler(name)(Handler);
    return Handler;
  },
);
class Unrelated {}

const provider = (cls: new () => object) => ({ instance: new cls(), metatype: cls });

describe('collectHandlers', () => {
  it('maps every job name to its one handler', () => {
    const map = collectHandlers([
      provider(OrgDelete),
      provider(SpaceDelete),
      ...others.map(provider),
      provider(Unrelated),
    ]);
    expect([...map.keys()].sort()).toEqual([...JOB_NAMES].sort());
    expect(map.get('space.delete')).toBeInstanceOf(SpaceDelete);
  });

  it('refuses to boot when a job has no handler', () => {
    expect(() => collectHandlers([provider(OrgDelete)])).toThrow(
      "job 'space.delete' has no handler",
    );
  });

  it('refuses to boot when a job has two handlers', () => {
    expect(() =>
      collectHandlers([
        provider(OrgDelete),
        provider(OrgDelete),
        provider(SpaceDelete),
        ...others.map(provider),
      ]),
    ).toThrow("job 'organization.delete' has 2 handlers");
  });
});
