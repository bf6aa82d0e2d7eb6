import type { CfError, JobResource, ListResponse, RootResponse } from '@wharf/contracts';
import { ApiError } from '../errors/api.error';
import { CliError } from '../errors/cli.error';
import { isRecord, parseJson } from './json';
import { isRootDocument } from './root-document';
import { type FetchFn, send } from './transport';
import { resolveUrl } from './url';

/** Where the client gets bearer tokens; the implementation persists refreshed ones. */
export interface TokenProvider {
  /** A token believed valid (implementations refresh first when it has expired). */
  accessToken(): Promise<string>;
  /** Exchange the refresh token for new tokens; throws "Not logged in" when that is refused. */
  refresh(): Promise<string>;
}

export interface ApiClientOptions {
  /** The API endpoint the user set; every relative path is resolved against it. */
  baseUrl: string;
  /** Omit for unauthenticated calls (GET / before login). */
  tokens?: TokenProvider;
  fetch?: FetchFn;
  userAgent?: string;
  sleep?: (ms: number) => Promise<void>;
  jobPollIntervalMs?: number;
  jobTimeoutMs?: number;
}

export interface RawResponse {
  status: number;
  statusText: string;
  headers: Headers;
  body: string;
}

export interface RawRequest {
  headers?: Record<string, string>;
  body?: string;
}

export type Query = Record<string, string | undefined>;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * CF v3 over Node's fetch. Typed calls return the parsed body or throw an ApiError carrying CF's
 * `detail`; every call sends `Authorization: bearer …` and, when the API answers 401
 * CF-InvalidAuthToken, refreshes the token once and retries once.
 */
export class ApiClient {
  private readonly fetchFn: FetchFn;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ApiClientOptions) {
    this.fetchFn = options.fetch ?? fetch;
    this.sleep = options.sleep ?? sleep;
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** `GET /` without credentials; fails unless the endpoint answers a CF root document. */
  async root(): Promise<RootResponse> {
    const res = await this.request('GET', this.url('/'), { auth: false });
    const body = parseJson(res.body);
    if (res.status !== 200 || !isRootDocument(body)) {
      throw new CliError(`API endpoint not found at '${this.options.baseUrl}'`);
    }
    return body;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.json<T>('GET', this.url(path, query));
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('POST', this.url(path), body);
  }

  /** A POST that CF answers without a body (a deployment's cancel and continue). */
  async action(path: string, body: unknown = {}): Promise<void> {
    await this.checked('POST', this.url(path), body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('PATCH', this.url(path), body);
  }

  /** Every resource of a list endpoint, following `pagination.next.href` page by page. */
  async listAll<T>(path: string, query?: Query): Promise<T[]> {
    const all: T[] = [];
    const seen = new Set<string>();
    let next: URL | null = this.url(path, query);
    while (next) {
      if (seen.has(next.href)) {
        throw new CliError(`The API returned a pagination loop at ${next.href}`);
      }
      seen.add(next.href);
      const page: ListResponse<T> = await this.json<ListResponse<T>>('GET', next);
      if (!isRecord(page) || !Array.isArray(page.resources) || !isRecord(page.pagination)) {
        throw new CliError(`Unexpected response from GET ${next.pathname}: not a CF list`);
      }
      all.push(...page.resources);
      const href = page.pagination.next?.href;
      next = href ? this.url(href) : null;
    }
    return all;
  }

  /**
   * A change that the API makes at once (2xx with the resource) or in a job (202 + Location): the
   * body when there is one, and the job's location when there is one, for the caller to follow.
   */
  async send<T>(
    method: 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<{ body: T | undefined; job: string | null }> {
    const res = await this.checked(method, this.url(path), body);
    const location = res.status === 202 ? res.headers.get('location') : null;
    return { body: parseJson(res.body) as T | undefined, job: location };
  }

  /** DELETE answered 202 + `Location: …/v3/jobs/:guid` waits for that job; 204 is done already. */
  async deleteAndWait(path: string): Promise<void> {
    const res = await this.checked('DELETE', this.url(path));
    const location = res.headers.get('location');
    if (res.status === 202 && location) await this.waitForJob(location);
  }

  /** Polls a job until COMPLETE; FAILED throws the job's first error detail. */
  async waitForJob(location: string): Promise<JobResource> {
    const interval = this.options.jobPollIntervalMs ?? 500;
    const deadline = Date.now() + (this.options.jobTimeoutMs ?? 5 * 60_000);
    for (;;) {
      const job = await this.json<JobResource>('GET', this.url(location));
      if (job.state === 'COMPLETE') return job;
      if (job.state === 'FAILED') {
        throw new CliError(job.errors?.[0]?.detail ?? `Job ${job.guid} failed.`);
      }
      if (Date.now() >= deadline) {
        throw new CliError(`Timed out waiting for job ${location} (state ${job.state}).`);
      }
      await this.sleep(interval);
    }
  }

  /**
   * POST of a non-JSON body (a manifest) answered 202 + `Location` of a job, which is awaited.
   */
  async postAndWait(path: string, body: string, contentType: string): Promise<JobResource> {
    const url = this.url(path);
    const res = await this.request('POST', url, {
      auth: true,
      headers: { 'Content-Type': contentType },
      body,
    });
    if (res.status < 200 || res.status >= 300) throw toApiError('POST', url, res);
    const location = res.headers.get('location');
    if (!location) throw new CliError(`POST ${path} answered ${res.status} without a job.`);
    return this.waitForJob(location);
  }

  /**
   * A multipart upload streamed from `body` (already encoded, see MultipartBody); the request may
   * take as long as the bits need, not the usual 60 s.
   */
  async upload<T>(
    path: string,
    body: { contentType: string; stream: ReadableStream<Uint8Array> },
  ): Promise<T> {
    const url = this.url(path);
    const token = this.options.tokens ? await this.options.tokens.accessToken() : undefined;
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Content-Type': body.contentType,
    };
    if (this.options.userAgent) headers['User-Agent'] = this.options.userAgent;
    if (token !== undefined) headers.Authorization = `bearer ${token}`;
    const res = await send(
      this.fetchFn,
      url,
      { method: 'POST', headers, body: body.stream, duplex: 'half' },
      60 * 60_000,
    );
    const raw = {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
      body: await res.text(),
    };
    if (raw.status < 200 || raw.status >= 300) throw toApiError('POST', url, raw);
    return parseJson(raw.body) as T;
  }

  /** Any method and path, any status returned as is (what `wharf curl` needs). */
  raw(method: string, path: string, request: RawRequest = {}): Promise<RawResponse> {
    return this.request(method, this.url(path), { auth: true, ...request });
  }

  private url(path: string, query?: Query): URL {
    const url = resolveUrl(this.options.baseUrl, path);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, v);
    }
    return url;
  }

  private async json<T>(method: string, url: URL, body?: unknown): Promise<T> {
    const res = await this.checked(method, url, body);
    const parsed = parseJson(res.body);
    if (parsed === undefined) {
      throw new CliError(
        `Unexpected response from ${method} ${url.pathname}: the body is not JSON`,
      );
    }
    return parsed as T;
  }

  private async checked(method: string, url: URL, body?: unknown): Promise<RawResponse> {
    const request: RawRequest =
      body === undefined
        ? {}
        : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
    const res = await this.request(method, url, { auth: true, ...request });
    if (res.status >= 200 && res.status < 300) return res;
    throw toApiError(method, url, res);
  }

  private async request(
    method: string,
    url: URL,
    request: RawRequest & { auth: boolean },
  ): Promise<RawResponse> {
    const tokens = request.auth ? this.options.tokens : undefined;
    const token = tokens ? await tokens.accessToken() : undefined;
    const res = await this.once(method, url, request, token);
    if (tokens && res.status === 401 && isInvalidAuthToken(res.body)) {
      return this.once(method, url, request, await tokens.refresh());
    }
    return res;
  }

  private async once(
    method: string,
    url: URL,
    request: RawRequest,
    token: string | undefined,
  ): Promise<RawResponse> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.options.userAgent) headers['User-Agent'] = this.options.userAgent;
    if (token !== undefined) headers.Authorization = `bearer ${token}`;
    const init: RequestInit = { method, headers: { ...headers, ...request.headers } };
    if (request.body !== undefined) init.body = request.body;
    const res = await send(this.fetchFn, url, init);
    return {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
      body: await res.text(),
    };
  }
}

function cfErrorsOf(body: string): CfError[] {
  const parsed = parseJson(body);
  if (!isRecord(parsed) || !Array.isArray(parsed.errors)) return [];
  return parsed.errors.filter(
    (e): e is CfError => isRecord(e) && typeof e.detail === 'string' && typeof e.title === 'string',
  );
}

function isInvalidAuthToken(body: string): boolean {
  return cfErrorsOf(body).some((e) => e.title === 'CF-InvalidAuthToken' || e.code === 1000);
}

function toApiError(method: string, url: URL, res: RawResponse): ApiError {
  const errors = cfErrorsOf(res.body);
  if (res.status === 401) {
    return new ApiError(res.status, errors, CliError.notLoggedIn().message);
  }
  const detail = errors.map((e) => e.detail).join('\n');
  const message =
    detail ||
    `Unexpected response from ${method} ${url.pathname}: HTTP ${res.status} ${res.statusText}`;
  return new ApiError(res.status, errors, message);
}
