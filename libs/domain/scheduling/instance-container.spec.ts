import { buildVcapApplication } from '@wharf/apps';
import {
  instanceContainerSpec,
  InstanceContainerInput,
  taskContainerSpec,
} from './instance-container';

/** VCAP_APPLICATION as the scheduler builds it for a running process. */
const vcapApplication = buildVcapApplication({
  app: { guid: 'a1', name: 'my-app' },
  space: { guid: 's1', name: 'dev' },
  organization: { guid: 'o1', name: 'org' },
  cfApi: 'http://api.example',
  uris: [],
  process: { guid: 'p1', type: 'web', memoryMb: 256, diskMb: 512, version: 'v1' },
});

const input: InstanceContainerInput = {
  installation: 'dev',
  app: { guid: 'a1', name: 'my-app', spaceGuid: 's1' },
  process: { guid: 'p1', type: 'web', memoryInMb: 256, diskInMb: 512 },
  instance: { guid: 'i-123456789', index: 2 },
  dropletGuid: 'd1',
  image: 'wharf/droplet:d1',
  command: 'node server.js',
  host: { ip: '127.0.0.1', port: 61005 },
  network: { name: 'wharf-dev-space-s1', dns: '172.19.0.1' },
  env: {
    runningEnv: { FROM_GROUP: 'g', SHARED: 'group' },
    environmentVariables: { SHARED: 'app', PORT: '9999', VCAP_SERVICES: 'mine', GREETING: 'hi' },
    vcapApplication,
    vcapServices: {},
    databaseUrl: 'postgres://u:p@db/x',
  },
};

describe('instanceContainerSpec', () => {
  const spec = instanceContainerSpec(input);

  it('runs the start command through the launcher as vcap in the app directory', () => {
    expect(spec.entrypoint).toEqual(['bash']);
    expect(spec.cmd).toEqual(['/lifecycle/launcher.sh', 'node server.js']);
    expect(spec.user).toBe('2000:2000');
    expect(spec.workingDir).toBe('/home/vcap/app');
  });

  it("gives CF's variables with CF's precedence over the app's own", () => {
    expect(spec.env).toEqual(
      expect.objectContaining({
        FROM_GROUP: 'g',
        SHARED: 'app',
        GREETING: 'hi',
        PORT: '8080',
        CF_INSTANCE_INDEX: '2',
        CF_INSTANCE_GUID: 'i-123456789',
        CF_INSTANCE_ADDR: '127.0.0.1:61005',
        CF_INSTANCE_PORTS: '[{"external":61005,"internal":8080}]',
        MEMORY_LIMIT: '256m',
        VCAP_SERVICES: '{}',
        DATABASE_URL: 'postgres://u:p@db/x',
        VCAP_APPLICATION: JSON.stringify(vcapApplication),
      }),
    );
  });

  it('limits memory without swap, CPU by memory and pids, and drops every capability', () => {
    expect(spec.memoryBytes).toBe(256 * 1024 * 1024);
    expect(spec.memorySwapBytes).toBe(spec.memoryBytes);
    expect(spec.cpuShares).toBe(256);
    expect(spec.pidsLimit).toBe(1024);
    expect(spec.capDrop).toEqual(['ALL']);
    expect(spec.securityOpt).toEqual(['no-new-privileges']);
    expect(spec.stopTimeoutSeconds).toBe(10);
    expect(spec.init).toBe(true);
    expect(spec.ports).toEqual([{ containerPort: 8080, hostIp: '127.0.0.1', hostPort: 61005 }]);
  });

  it('has the open-files limit VCAP_APPLICATION advertises, soft and hard', () => {
    expect(vcapApplication.limits.fds).toBe(16384);
    expect(spec.ulimits).toEqual([{ name: 'nofile', soft: 16384, hard: 16384 }]);
    const advertised = JSON.parse(spec.env.VCAP_APPLICATION ?? '{}') as { limits: { fds: number } };
    expect(spec.ulimits?.[0]?.hard).toBe(advertised.limits.fds);
    const other = instanceContainerSpec({
      ...input,
      env: { ...input.env, vcapApplication: { ...vcapApplication, limits: { fds: 4096 } } },
    });
    expect(other.ulimits).toEqual([{ name: 'nofile', soft: 4096, hard: 4096 }]);
  });

  it('has a container name Docker takes whatever the app is called (CF allows any name)', () => {
    const named = instanceContainerSpec({
      ...input,
      app: { ...input.app, name: 'my app/../ü "x"' },
    });
    expect(named.name).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/);
    expect(named.name).toContain('-my-app-..-x-');
  });

  it("runs on its space's network with the installation's DNS server (apps.internal)", () => {
    expect(spec.network).toBe('wharf-dev-space-s1');
    expect(spec.dns).toEqual(['172.19.0.1']);
    const plain = instanceContainerSpec({ ...input, network: { name: '', dns: '' } });
    expect(plain.network).toBeUndefined();
    expect(plain.dns).toBeUndefined();
  });

  it('is found by labels naming space, app, process, index, instance and droplet', () => {
    expect(spec.labels).toEqual({
      'wharf.managed': 'true',
      'wharf.installation': 'dev',
      'wharf.role': 'app',
      'wharf.space_guid': 's1',
      'wharf.app_guid': 'a1',
      'wharf.process_guid': 'p1',
      'wharf.process_type': 'web',
      'wharf.instance_index': '2',
      'wharf.instance_guid': 'i-123456789',
      'wharf.droplet_guid': 'd1',
    });
  });
});

describe('taskContainerSpec', () => {
  const spec = taskContainerSpec({
    installation: 'dev',
    app: input.app,
    task: { guid: 't-123456789', name: 'db migrate', memoryInMb: 128 },
    dropletGuid: 'd1',
    image: 'wharf/droplet:d1',
    command: 'rake db:migrate',
    network: input.network,
    env: input.env,
  });

  it('runs the command with the instance hardening and limits, its own memory, and no port', () => {
    const instance = instanceContainerSpec(input);
    expect(spec.cmd).toEqual(['/lifecycle/launcher.sh', 'rake db:migrate']);
    for (const key of [
      'entrypoint',
      'user',
      'capDrop',
      'securityOpt',
      'init',
      'pidsLimit',
      'ulimits',
    ])
      expect(spec[key as keyof typeof spec]).toEqual(instance[key as keyof typeof instance]);
    expect(spec.memoryBytes).toBe(128 * 1024 * 1024);
    expect(spec.memorySwapBytes).toBe(128 * 1024 * 1024);
    expect(spec.ports).toBeUndefined();
    // No port of the platform's: a PORT the app sets itself is simply one of its variables.
    expect(spec.env.PORT).toBe('9999');
    expect(spec.env.CF_INSTANCE_PORT).toBeUndefined();
    expect(spec.env.MEMORY_LIMIT).toBe('128m');
    expect(spec.env.GREETING).toBe('hi');
    expect(spec.env.VCAP_SERVICES).toBe('{}');
    expect(spec.env.DATABASE_URL).toBe('postgres://u:p@db/x');
    expect(spec.network).toBe('wharf-dev-space-s1');
  });

  it('is found by its labels, named readably', () => {
    expect(spec.labels).toEqual({
      'wharf.managed': 'true',
      'wharf.installation': 'dev',
      'wharf.role': 'task',
      'wharf.space_guid': 's1',
      'wharf.app_guid': 'a1',
      'wharf.task_guid': 't-123456789',
      'wharf.task_name': 'db migrate',
      'wharf.droplet_guid': 'd1',
    });
    expect(spec.name).toBe('wharf-dev-my-app-task-db-migrate-t-123456');
  });
});
