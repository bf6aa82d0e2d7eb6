import { connect } from 'node:net';
import { Client } from 'pg';
import type { SpaceResource } from '@wharf/contracts';
import type { ApiCall } from '../../support/api-call';

/** CF's error envelope. */
export interface Errors {
  errors: { code: number; title: string; detail: string }[];
}

/** The one error a refused request answers, e.g. 422 10008 CF-UnprocessableEntity. */
export function expectCfError(
  res: { status: number; body: unknown },
  status: number,
  code: number,
  title: string,
  detail: string | RegExp,
): void {
  expect(res.status).toBe(status);
  const errors = (res.body as Errors).errors;
  expect(errors).toHaveLength(1);
  expect(errors[0]).toEqual(expect.objectContaining({ code, title }));
  if (typeof detail === 'string') expect(errors[0]?.detail).toContain(detail);
  else expect(errors[0]?.detail).toMatch(detail);
}

export async function orgAndSpace(
  call: ApiCall,
  name: string,
): Promise<{ org: string; space: string }> {
  const org = await call<{ guid: string }>('POST', '/v3/organizations', { name });
  const space = await call<SpaceResource>('POST', '/v3/spaces', {
    name: 'dev',
    relationships: { organization: { data: { guid: org.body.guid } } },
  });
  if (org.status !== 201 || space.status !== 201) throw new Error(`setup of ${name} failed`);
  return { org: org.body.guid, space: space.body.guid };
}

/**
 * Every row of every table of the test platform's database, one digest per table: two equal
 * snapshots mean a refused request wrote nothing anywhere (no row created, changed or removed).
 */
export async function databaseSnapshot(databaseUrl: string): Promise<Record<string, string>> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const tables = await db.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    );
    const out: Record<string, string> = {};
    for (const { name } of tables.rows) {
      const r = await db.query<{ n: string; digest: string | null }>(
        `SELECT count(*) AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM "${name}" t`,
      );
      out[name] = `${r.rows[0]?.n ?? '?'}:${r.rows[0]?.digest ?? ''}`;
    }
    return out;
  } finally {
    await db.end();
  }
}

export interface RawResponse {
  status: number;
  /** Header lines as received, names lowercased. */
  headers: [string, string][];
  body: string;
  raw: string;
}

/**
 * Writes bytes to host:port as they are, past any HTTP library (which would refuse a CR or LF in
 * a header), and reads the answer until the server closes.
 */
export function rawHttp(port: number, request: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('connect', () => socket.write(request));
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('latin1');
      const end = raw.indexOf('\r\n\r\n');
      const head = end < 0 ? raw : raw.slice(0, end);
      const [statusLine = '', ...lines] = head.split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
      const headers = lines.map((l): [string, string] => {
        const i = l.indexOf(':');
        return [l.slice(0, i).toLowerCase(), l.slice(i + 1).trim()];
      });
      resolve({ status, headers, body: end < 0 ? '' : raw.slice(end + 4), raw });
    });
  });
}

export const headerValues = (res: RawResponse, name: string): string[] =>
  res.headers.filter(([n]) => n === name).map(([, v]) => v);
