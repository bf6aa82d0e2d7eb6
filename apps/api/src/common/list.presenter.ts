import type { ListResponse } from '@wharf/contracts';
import type { Page } from '@wharf/platform/db';
import type { Query } from './list-query';

/** CF's list envelope with first/last/next/previous links that keep the caller's filters. */
export function presentList<E, R>(
  page: Page<E>,
  baseUrl: string,
  path: string,
  query: Query,
  present: (item: E) => R,
): ListResponse<R> {
  const { perPage } = page.request;
  const totalPages = Math.max(1, Math.ceil(page.total / perPage));
  const link = (n: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (k !== 'page' && k !== 'per_page' && typeof v === 'string') params.set(k, v);
    }
    params.set('page', String(n));
    params.set('per_page', String(perPage));
    return { href: `${baseUrl}${path}?${params.toString()}` };
  };
  const current = page.request.page;
  return {
    pagination: {
      total_results: page.total,
      total_pages: totalPages,
      first: link(1),
      last: link(totalPages),
      next: current < totalPages ? link(current + 1) : null,
      previous: current > 1 ? link(Math.min(current - 1, totalPages)) : null,
    },
    resources: page.items.map(present),
  };
}

export const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
