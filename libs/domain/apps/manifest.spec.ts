import { DomainError } from '@wharf/platform/errors';
import { parseMegabytes } from '@wharf/contracts';
import { parseManifest } from './manifest';

function problem(text: string): string {
  try {
    parseManifest(text);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return (err as DomainError).detail;
  }
  throw new Error('the manifest was accepted');
}

describe('parseMegabytes', () => {
  it.each([
    ['256M', 256],
    ['256MB', 256],
    ['1G', 1024],
    ['1gb', 1024],
    ['2T', 2 * 1024 * 1024],
    ['512K', 1],
    ['1048576B', 1],
  ])('%s is %d MB', (text, mb) => expect(parseMegabytes(text)).toBe(mb));

  it.each(['256', 'lots', '1 parsec', ''])('refuses %j', (text) =>
    expect(parseMegabytes(text)).toBeNull(),
  );
});

describe('parseManifest', () => {
  it('reads the fields users write most, with web fields at app level', () => {
    const m = parseManifest(`
applications:
- name: my-app
  path: ./src
  instances: 2
  memory: 256M
  disk_quota: 1G
  buildpacks: [nodejs_buildpack]
  stack: bookworm
  command: node server.js
  env: {GREETING: hello, RETRIES: 3, DEBUG: false}
  health-check-type: http
  health-check-http-endpoint: /health
  timeout: 60
  routes: [{route: my-app.apps.localhost}]
  services: [my-db, {name: my-cache, binding_name: cache, parameters: {size: 2}}]
  processes:
  - type: worker
    command: node worker.js
    instances: 1
    health-check-type: none
`);
    expect(m.applications).toHaveLength(1);
    const app = m.applications[0];
    expect(app).toEqual({
      name: 'my-app',
      path: './src',
      buildpacks: ['nodejs_buildpack'],
      stack: 'bookworm',
      env: { GREETING: 'hello', RETRIES: '3', DEBUG: 'false' },
      routes: ['my-app.apps.localhost'],
      randomRoute: false,
      noRoute: false,
      services: [
        { name: 'my-db' },
        { name: 'my-cache', bindingName: 'cache', parameters: { size: 2 } },
      ],
      processes: [
        {
          type: 'web',
          command: 'node server.js',
          instances: 2,
          memoryMb: 256,
          diskMb: 1024,
          healthCheckType: 'http',
          healthCheckHttpEndpoint: '/health',
          timeout: 60,
        },
        { type: 'worker', command: 'node worker.js', instances: 1, healthCheckType: 'process' },
      ],
    });
  });

  it('lets a processes entry of type web override app-level fields', () => {
    const m = parseManifest(
      'applications:\n- name: a\n  memory: 128M\n  instances: 1\n  processes:\n  - type: web\n    instances: 3\n',
    );
    expect(m.applications[0]?.processes).toEqual([{ type: 'web', instances: 3, memoryMb: 128 }]);
  });

  it.each([
    [
      'applications:\n- name: a\n  memory: 256\n',
      'applications[0].memory (line 3) must be a size with a unit',
    ],
    [
      'applications:\n- name: a\n  instances: many\n',
      'applications[0].instances (line 3) must be a whole number',
    ],
    [
      'applications:\n- name: a\n  timeout: 500\n',
      'applications[0].timeout (line 3) must be a whole number from 1 to 180',
    ],
    [
      'applications:\n- name: a\n  health-check-type: ping\n',
      "must be port, http or process (got 'ping')",
    ],
    ['applications:\n- path: .\n', 'applications[0].name (line 2) is required'],
    ['applications:\n- name: a\n  env: [A, B]\n', 'applications[0].env (line 3) must be a map'],
    [
      'applications:\n- name: a\n  no-route: yes please\n',
      'applications[0].no-route (line 3) must be true or false',
    ],
    ['applications: []\n', 'applications (line 1) must be a non-empty list'],
    ['name: a\n', 'applications'],
    ['applications:\n- name: a\n- name: a\n', "lists the app 'a' twice"],
    [
      'applications:\n- name: a\n  processes:\n  - type: w\n  - type: w\n',
      'applications[0].processes[1].type (line 5) repeats',
    ],
  ])('names the field and line: %j', (text, message) => {
    expect(problem(text)).toContain(message);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(problem('applications:\n- name: a\n  env: {A: 1\n')).toMatch(
      /^The manifest is not valid YAML \(line \d+\)/,
    );
  });
});
