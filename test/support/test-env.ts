import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, WharfConfig } from '@wharf/platform/config';

/**
 * The environment file `npm test` writes for the test installation (own database role, API port,
 * queue prefix and container label). Integration tests derive their config from it.
 */
export function testEnvFile(): string {
  return process.env.WHARF_TEST_ENV_FILE ?? resolve(__dirname, '../../.state/test/wharf.env');
}

export function readEnvFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${file} is missing: run the tests with \`npm test\`, which prepares it.`);
  }
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m?.[1]) env[m[1]] = m[2] ?? '';
  }
  return env;
}

export function testConfig(overrides: Record<string, string> = {}): WharfConfig {
  return loadConfig({ ...readEnvFile(testEnvFile()), ...overrides });
}
