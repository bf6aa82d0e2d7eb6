import { buildVcapServices, databaseUrlOf, BoundService } from './vcap-services';

const bound = (over: Partial<BoundService>): BoundService => ({
  label: 'user-provided',
  bindingGuid: 'b1',
  bindingName: null,
  instanceGuid: 'i1',
  instanceName: 'my-db',
  plan: null,
  provider: null,
  tags: [],
  credentials: {},
  syslogDrainUrl: null,
  ...over,
});

describe('buildVcapServices', () => {
  it("groups bindings by label in CF's shape, named by binding name or else instance name", () => {
    const v = buildVcapServices([
      bound({ credentials: { uri: 'postgres://u:p@h/db' }, tags: ['sql'] }),
      bound({ bindingGuid: 'b2', bindingName: 'cache', instanceGuid: 'i2', instanceName: 'r' }),
      bound({ label: 'redis', plan: 'small', bindingGuid: 'b3', instanceName: 'r2' }),
    ]);
    expect(Object.keys(v)).toEqual(['user-provided', 'redis']);
    expect(v['user-provided']?.[0]).toEqual({
      label: 'user-provided',
      provider: null,
      plan: null,
      name: 'my-db',
      tags: ['sql'],
      instance_guid: 'i1',
      instance_name: 'my-db',
      binding_guid: 'b1',
      binding_name: null,
      credentials: { uri: 'postgres://u:p@h/db' },
      syslog_drain_url: null,
      volume_mounts: [],
    });
    expect(v['user-provided']?.[1]?.name).toBe('cache');
    expect(v.redis?.[0]?.plan).toBe('small');
  });

  it('takes DATABASE_URL from the first binding with a uri', () => {
    expect(databaseUrlOf([bound({}), bound({ credentials: { uri: 'mysql://x' } })])).toBe(
      'mysql://x',
    );
    expect(databaseUrlOf([bound({ credentials: { uri: 42 } })])).toBeNull();
  });
});
