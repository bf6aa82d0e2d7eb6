import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const exec = promisify(execFile);
const ROOT = resolve(__dirname, '../..');

interface ComposeConfig {
  services: Record<
    string,
    { command?: string[]; environment?: Record<string, string>; image?: string; build?: unknown }
  >;
}

async function composeConfig(
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(
      'docker-compose',
      ['-f', 'docker-compose.yml', 'config'],
      { cwd: ROOT, env },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error('docker-compose is not installed; `npm test` installs the Debian package');
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    };
  }
}

describe('docker-compose.yml', () => {
  it('is valid and runs postgres, redis, haproxy, migrations, api and worker from this repo', async () => {
    const { WHARF_JWT_SECRET: _ignored, ...env } = process.env;
    const result = await composeConfig({ ...env, WHARF_JWT_SECRET: 'a'.repeat(40) });
    expect(result.code).toBe(0);
    const config = parse(result.stdout) as ComposeConfig;
    expect(Object.keys(config.services).sort()).toEqual([
      'api',
      'haproxy',
      'migrate',
      'postgres',
      'redis',
      'worker',
    ]);
    expect(config.services.api?.command).toEqual(['node', 'dist/apps/api/src/main.js']);
    expect(config.services.worker?.command).toEqual(['node', 'dist/apps/worker/src/main.js']);
    expect(config.services.migrate?.command).toEqual([
      'node',
      'dist/apps/admin/src/main.js',
      'migrate',
    ]);
    expect(config.services.api?.environment?.WHARF_JWT_SECRET).toBe('a'.repeat(40));
    expect(config.services.api?.environment?.WHARF_DATABASE_URL).toMatch(
      /^postgres:\/\/wharf:.*@postgres:5432\/wharf$/,
    );
  });

  it('refuses to render without a token signing key, naming the variable', async () => {
    const { WHARF_JWT_SECRET: _ignored, ...env } = process.env;
    const result = await composeConfig(env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('set WHARF_JWT_SECRET');
  });
});
