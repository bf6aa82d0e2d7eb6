import type { PageRequest } from '@wharf/platform/db';
import { CommonErrorCode, commonError } from '@wharf/platform/errors';

export type Query = Record<string, unknown>;

export interface ListSpec {
  /** API order_by value → entity property. */
  orderBy: Record<string, string>;
  /** Filters the endpoint understands besides page, per_page, order_by. */
  filters: readonly string[];
}

export interface ParsedList {
  page: PageRequest;
  filters: Record<string, string[] | undefined>;
}

const PAGING = ['page', 'per_page', 'order_by'];
/** PostgreSQL's OFFSET is a bigint, but nothing we list comes near this; beyond it is a typo. */
const MAX_OFFSET = 2_000_000_000;

/**
 * CF list parameters, shared by every list endpoint: page ≥ 1, per_page 1–5000 (default 50),
 * order_by (`-` prefix descending, default created_at), comma-separated plural filters. Anything
 * unknown or malformed is a 400 CF-BadQueryParameter naming it.
 */
export function parseListQuery(query: Query, spec: ListSpec): ParsedList {
  const unknown = Object.keys(query).filter(
    (k) => !PAGING.includes(k) && !spec.filters.includes(k),
  );
  if (unknown.length) {
    bad(
      `Unknown query parameter(s): '${unknown.join("', '")}'. Valid parameters are: '${[...PAGING, ...spec.filters].join("', '")}'`,
    );
  }
  const page = intParam(query, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
  const perPage = intParam(query, 'per_page', 50, 1, 5000);
  const rawOrder = single(query, 'order_by') ?? 'created_at';
  const descending = rawOrder.startsWith('-');
  const field = rawOrder.replace(/^[-+]/, '');
  const orderBy = spec.orderBy[field];
  if (!orderBy) {
    bad(`Order by can only be: '${Object.keys(spec.orderBy).join("', '")}'`);
  }
  const filters: Record<string, string[] | undefined> = {};
  for (const name of spec.filters) {
    const value = single(query, name);
    if (value !== undefined) filters[name] = value.split(',').filter((v) => v.length > 0);
  }
  if ((page - 1) * perPage > MAX_OFFSET)
    bad(`Page ${page} is past any result (at most ${MAX_OFFSET} rows are skipped)`);
  return { page: { page, perPage, orderBy, direction: descending ? 'DESC' : 'ASC' }, filters };
}

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    bad(`The query parameter '${name}' must be given once, as a string`);
  return value;
}

function intParam(query: Query, name: string, fallback: number, min: number, max: number): number {
  const raw = single(query, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    bad(`${name === 'page' ? 'Page' : 'Per page'} must be between ${min} and ${max}`);
  }
  return n;
}

function bad(detail: string): never {
  throw commonError(CommonErrorCode.BadQueryParameter, detail);
}
