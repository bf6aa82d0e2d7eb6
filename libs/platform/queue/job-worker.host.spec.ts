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
@JobHandler('app.delete')
class AppDelete {
  handle = (): Promise<void> => Promise.resolve();
}
@JobHandler('build.stage')
class BuildStage {
  handle = (): Promise<void> => Promise.resolve();
}
@JobHandler('app.converge')
class AppConverge {
  handle = (): Promise<void> => Promise.resolve();
}
@JobHandler('app.staging_purge')
class AppStagingPurge {
  handle = (): Promise<void> => Promise.resolve();
}
@JobHandler('app.routing_purge')
class AppRoutingPurge {
  handle = (): Promise<void> => Promise.resolve();
}
@JobHandler('app.services_purge')
class AppServicesPurge {
  handle = (): Promise<void> => Promise.resolve();
}
class Unrelated {}

const provider = (cls: new () => object) => ({ instance: new cls(), metatype: cls });

describe('collectHandlers', () => {
  it('maps every job name to its one handler', () => {
    const map = collectHandlers([
      provider(OrgDelete),
      provider(SpaceDelete),
      provider(AppDelete),
      provider(BuildStage),
      provider(AppConverge),
      provider(AppStagingPurge),
      provider(AppRoutingPurge),
      provider(AppServicesPurge),
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
        provider(AppDelete),
        provider(BuildStage),
        provider(AppConverge),
        provider(AppStagingPurge),
        provider(AppRoutingPurge),
      ]),
    ).toThrow("job 'organization.delete' has 2 handlers");
  });
});
