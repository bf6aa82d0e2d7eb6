import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { E2E } from './e2e-env';

interface ApiRequestLine {
  request_id: string;
  method: string;
  path: string;
  status: number;
  user: string | null;
  at: string;
}

/**
 * Requests that change nothing a user owns, so they have no audit event: a login (the token
 * endpoint), resource matching (a query sent as POST), and registering an existing UAA login
 * with /v3/users (Wharf's UAA and Cloud Controller share the user).
 */
const NOT_CHANGES: { method: string; path: RegExp }[] = [
  { method: 'POST', path: /^\/oauth\/token$/ },
  { method: 'POST', path: /^\/v3\/resource_matches$/ },
  { method: 'POST', path: /^\/v3\/users$/ },
];

/** Keys whose values would be secrets if an event ever carried them. */
const SECRET_KEYS = /^(password|credentials|environment_variables|var|token|refresh_token)$/i;

/** Every successful change the API logged since `since` (its ApiRequest lines). */
export function changesSince(since: Date): ApiRequestLine[] {
  const text = readFileSync(resolve(E2E.stateDir, 'logs/api.log'), 'utf8');
  const lines: ApiRequestLine[] = [];
  // eslint-disable-next-line no-control-regex
  for (const raw of text.replace(/\u001b\[[0-9;]*m/g, '').split('\n')) {
    if (!raw.includes('[ApiRequest]')) continue;
    const json = raw.slice(raw.indexOf('{'), raw.lastIndexOf('}') + 1);
    const line = JSON.parse(json) as ApiRequestLine;
    if (new Date(line.at) < since || line.status < 200 || line.status >= 300) continue;
    if (NOT_CHANGES.some((n) => n.method === line.method && n.path.test(line.path))) continue;
    lines.push(line);
  }
  return lines;
}

function databaseUrl(): string {
  const env = readFileSync(resolve(E2E.stateDir, 'wharf.env'), 'utf8');
  const match = /^WHARF_DATABASE_URL=(.*)$/m.exec(env);
  if (!match?.[1]) throw new Error('no WHARF_DATABASE_URL in the e2e env file');
  return match[1].replace(/^['"]|['"]$/g, '');
}

function secretKeysIn(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretKeysIn(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(SECRET_KEYS.test(k) && v !== '[PRIVATE DATA HIDDEN]' && !Array.isArray(v)
      ? [`${path}.${k}`]
      : []),
    ...secretKeysIn(v, `${path}.${k}`),
  ]);
}

/**
 * The audit check: every change made through the API since `since` has at least one
 * audit event recorded with its request id, and no event of them carries a secret — neither
 * one of the values the test used as secrets nor a key that holds one.
 */
export async function expectEveryChangeAudited(since: Date, secrets: string[]): Promise<void> {
  const changes = changesSince(since);
  expect(changes.length).toBeGreaterThan(0);
  const db = new Client({ connectionString: databaseUrl() });
  await db.connect();
  try {
    const { rows } = await db.query<{ request_id: string; type: string; row: string }>(
      `SELECT request_id, type, row_to_json(e)::text AS row
         FROM audit_events e WHERE request_id = ANY($1::text[])`,
      [changes.map((c) => c.request_id)],
    );
    const audited = new Set(rows.map((r) => r.request_id));
    const missing = changes
      .filter((c) => !audited.has(c.request_id))
      .map((c) => `${c.method} ${c.path} (${c.status}, ${c.request_id})`);
    expect(missing).toEqual([]);
    const leaks = rows.flatMap((r) => [
      ...secrets.filter((s) => s.length >= 4 && r.row.includes(s)).map((s) => `${r.type}: "${s}"`),
      ...secretKeysIn(JSON.parse(r.row)).map((k) => `${r.type}: ${k}`),
    ]);
    expect(leaks).toEqual([]);
    // A user's change is never put down to the platform itself: only registering the built-in
    // brokers (npm run up) acts as "system".
    const { rows: bySystem } = await db.query<{ type: string; target_name: string }>(
      `SELECT type, target_name FROM audit_events
        WHERE actor_type = 'system' AND type LIKE 'audit.%' AND created_at >= $1
          AND type NOT IN ('audit.service_broker.create', 'audit.service_broker.update',
                           'audit.service_plan_visibility.update')`,
      [since],
    );
    expect(bySystem.map((r) => `${r.type} ${r.target_name}`)).toEqual([]);
  } finally {
    await db.end();
  }
}
