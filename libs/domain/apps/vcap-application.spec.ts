import { buildVcapApplication } from './vcap-application';

const input = {
  app: { guid: 'a-guid', name: 'my-app' },
  space: { guid: 's-guid', name: 'dev' },
  organization: { guid: 'o-guid', name: 'wharf' },
  cfApi: 'http://127.0.0.1:9000',
  uris: ['my-app.apps.localhost'],
};

describe('VCAP_APPLICATION', () => {
  it('carries the app, space and org fields CF apps read', () => {
    expect(buildVcapApplication(input)).toEqual({
      application_id: 'a-guid',
      application_name: 'my-app',
      application_uris: ['my-app.apps.localhost'],
      cf_api: 'http://127.0.0.1:9000',
      limits: { fds: 16384 },
      name: 'my-app',
      organization_id: 'o-guid',
      organization_name: 'wharf',
      space_id: 's-guid',
      space_name: 'dev',
      uris: ['my-app.apps.localhost'],
      users: null,
    });
  });

  it('adds the process, its limits and the version for a running instance', () => {
    const v = buildVcapApplication({
      ...input,
      process: { guid: 'p-guid', type: 'web', memoryMb: 256, diskMb: 1024, version: 'v-1' },
    });
    expect(v).toEqual(
      expect.objectContaining({
        process_id: 'p-guid',
        process_type: 'web',
        limits: { fds: 16384, mem: 256, disk: 1024 },
        version: 'v-1',
        application_version: 'v-1',
      }),
    );
  });
});
