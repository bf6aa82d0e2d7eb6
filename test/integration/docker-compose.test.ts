import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

/**
 * docker-compose.yml as Debian's docker-compose (v1, the one this machine has) renders it, and the
 * placeholder HAProxy config it mounts as HAProxy 2.6 reads it. Nothing is started: the images
 * come from a registry this machine cannot reach.
 */
jest.setTimeout(30_000);

const exec = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const SECRET = 'a'.repeat(40);

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: unknown[];
  ports?: unknown[];
  healthcheck?: { test?: string[] };
  depends_on?: Record<string, { condition?: string }>;
}

interface ComposeConfig {
  services: Record<string, ComposeService>;
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a tool that must be installed; a missing one fails the test with how to install it. */
async function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  install: string,
): Promise<Result> {
  try {
    const { stdout, stderr } = await exec(file, args, { cwd: ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') {
      throw new Error(`${file} is not installed: ${install} (npm test's setup installs it)`);
    }
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    };
  }
}

/** The environment without any WHARF_JWT_SECRET the test runner itself may carry. */
function envWithout(): NodeJS.ProcessEnv {
  const { WHARF_JWT_SECRET: _ignored, ...env } = process.env;
  return env;
}

function composeConfig(env: NodeJS.ProcessEnv): Promise<Result> {
  return run(
    'docker-compose',
    ['-f', 'docker-compose.yml', 'config'],
    env,
    'apt-get install docker-compose',
  );
}

describe('docker-compose.yml', () => {
  let config: ComposeConfig;
  let output: string;

  beforeAll(async () => {
    const result = await composeConfig({ ...envWithout(), WHARF_JWT_SECRET: SECRET });
    expect(result.stderr).not.toMatch(/ERROR/);
    expect(result.code).toBe(0);
    output = result.stdout;
    config = parse(output) as ComposeConfig;
  });

  it('is valid and runs postgres, redis, haproxy, migrations, api and worker', () => {
    for (const name of ['postgres', 'redis', 'haproxy', 'migrate', 'api', 'worker']) {
      expect(output).toMatch(new RegExp(`^  ${name}:$`, 'm'));
    }
    expect(Object.keys(config.services).sort()).toEqual([
      'api',
      'haproxy',
      'migrate',
      'postgres',
      'redis',
      'worker',
    ]);
    expect(config.services.postgres?.image).toBe('postgres:15');
    expect(config.services.redis?.image).toBe('redis:7');
    expect(config.services.redis?.command?.join(' ')).toContain('--appendonly yes');
    expect(config.services.haproxy?.image).toBe('haproxy:2.6');
    expect(JSON.stringify(config.services.haproxy?.volumes)).toContain(
      'deploy/haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg',
    );
  });

  it('builds one image from this repo for migrate, api and worker, each with its command', () => {
    const { migrate, api, worker } = config.services;
    for (const s of [migrate, api, worker]) {
      expect(s?.build).toBeDefined();
      expect(s?.image).toBe(api?.image);
    }
    expect(migrate?.command).toEqual(['node', 'dist/apps/admin/src/main.js', 'migrate']);
    expect(api?.command).toEqual(['node', 'dist/apps/api/src/main.js']);
    expect(worker?.command).toEqual(['node', 'dist/apps/worker/src/main.js']);
    expect(api?.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    expect(worker?.depends_on?.migrate?.condition).toBe('service_completed_successfully');
    expect(migrate?.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(api?.healthcheck?.test?.join(' ')).toContain('http://127.0.0.1:9000/healthz');
  });

  it('gives api and worker the configuration they read and the Docker socket', () => {
    for (const s of [config.services.api, config.services.worker]) {
      expect(s?.environment).toMatchObject({
        WHARF_API_HOST: '0.0.0.0',
        WHARF_API_PORT: '9000',
        WHARF_REDIS_URL: 'redis://redis:6379/0',
        WHARF_JWT_SECRET: SECRET,
        WHARF_DOCKER_HOST: 'unix:///var/run/docker.sock',
        WHARF_STATE_DIR: '/var/lib/wharf',
      });
      expect(s?.environment?.WHARF_API_URL).toMatch(/^https?:\/\//);
      expect(s?.environment?.WHARF_DATABASE_URL).toMatch(
        /^postgres:\/\/wharf:.*@postgres:5432\/wharf$/,
      );
      const volumes = JSON.stringify(s?.volumes);
      expect(volumes).toContain('/var/run/docker.sock:/var/run/docker.sock');
      expect(volumes).toContain(':/var/lib/wharf');
    }
  });

  it('refuses to render without a token signing key, naming the variable', async () => {
    const result = await composeConfig(envWithout());
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('set WHARF_JWT_SECRET to 32+ random characters');
  });
});

describe('deploy/haproxy/haproxy.cfg', () => {
  it('is a valid HAProxy configuration answering 404 on :8080 until routes exist', async () => {
    const cfg = readFileSync(resolve(ROOT, 'deploy/haproxy/haproxy.cfg'), 'utf8');
    expect(cfg).toMatch(/^\s*bind :8080$/m);
    expect(cfg).toContain('Requested route does not exist.');
    // Debian installs it in /usr/sbin, which a non-root PATH may lack.
    const result = await run(
      existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : 'haproxy',
      ['-c', '-f', 'deploy/haproxy/haproxy.cfg'],
      process.env,
      'apt-get install haproxy',
    );
    expect(`${result.stdout}${result.stderr}`).toContain('Configuration file is valid');
    expect(result.code).toBe(0);
  });
});
