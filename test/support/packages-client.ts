import { existsSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
import type { OrganizationResource, SpaceResource } from '@wharf/contracts';
import type { TestPlatform } from './test-platform';

/** A package as the API shows it. */
export interface Pkg {
  guid: string;
  state: string;
  type: string;
  data: { checksum: { type: string; value: string | null } };
  relationships: { app: { data: { guid: string } } };
  links: Record<string, { href: string; method?: string }>;
}

/** A caller of the packages API with a token: apps in orgs of their own, packages, uploads. */
export class PackagesClient {
  constructor(
    readonly platform: TestPlatform,
    readonly token: string,
  ) {}

  async call<T>(method: string, path: string, body?: unknown) {
    const res = await fetch(`${this.platform.url}${path}`, {
      method,
      headers: {
        authorization: `bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      text,
      body: (text ? JSON.parse(text) : undefined) as T,
    };
  }

  async upload<T>(guid: string, archive: Buffer | null, field = 'bits', resources?: unknown[]) {
    const form = new FormData();
    if (archive) form.append(field, new Blob([archive]), 'app.zip');
    form.append('resources', JSON.stringify(resources ?? []));
    const res = await fetch(`${this.platform.url}/v3/packages/${guid}/upload`, {
      method: 'POST',
      headers: { authorization: `bearer ${this.token}` },
      body: form,
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  /**
   * An upload whose body is only begun: the multipart head and `sent` bytes of a file announced
   * as `announced` bytes long, then nothing. Whatever answers before the body is complete was
   * decided without it.
   */
  beginUpload(
    guid: string,
    sent: number,
    announced: number,
  ): { answer: Promise<{ status: number; body: string }>; abort: () => void } {
    const boundary = 'wharf-test-boundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="bits"; filename="app.zip"\r\n` +
        'Content-Type: application/zip\r\n\r\n',
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const url = new URL(`${this.platform.url}/v3/packages/${guid}/upload`);
    const req = request(url, {
      method: 'POST',
      headers: {
        authorization: `bearer ${this.token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + announced + tail.length),
      },
    });
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
      });
      req.on('error', reject);
    });
    req.write(Buffer.concat([head, Buffer.alloc(sent, 0x50)]));
    return { answer, abort: () => req.destroy() };
  }

  async newApp(name: string): Promise<string> {
    const org = (
      await this.call<OrganizationResource>('POST', '/v3/organizations', { name: `org-${name}` })
    ).body;
    const space = (
      await this.call<SpaceResource>('POST', '/v3/spaces', {
        name: 'dev',
        relationships: { organization: { data: { guid: org.guid } } },
      })
    ).body;
    const app = await this.call<{ guid: string }>('POST', '/v3/apps', {
      name,
      relationships: { space: { data: { guid: space.guid } } },
    });
    return app.body.guid;
  }

  async newPackage(appGuid: string): Promise<Pkg> {
    const res = await this.call<Pkg>('POST', '/v3/packages', {
      type: 'bits',
      relationships: { app: { data: { guid: appGuid } } },
    });
    expect(res.status).toBe(201);
    return res.body;
  }
}

export const scratch = (p: TestPlatform) => resolve(p.config.stateDir, 'blobs', '.scratch');
export const scratchIsEmpty = (p: TestPlatform) =>
  !existsSync(scratch(p)) || readdirSync(scratch(p)).length === 0;
export const blobExists = (p: TestPlatform, guid: string) =>
  existsSync(resolve(p.config.stateDir, 'blobs', 'packages', guid));
