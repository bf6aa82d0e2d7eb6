import { DomainError } from '@wharf/platform/errors';
import { parseListQuery } from './list-query';
import { presentList } from './list.presenter';

const SPEC = { orderBy: { created_at: 'createdAt', name: 'name' }, filters: ['names'] };

describe('parseListQuery', () => {
  it('defaults to page 1, 50 per page, oldest first', () => {
    expect(parseListQuery({}, SPEC)).toEqual({
      page: { page: 1, perPage: 50, orderBy: 'createdAt', direction: 'ASC' },
      filters: {},
    });
  });

  it('reads descending order and plural filters', () => {
    const parsed = parseListQuery(
      { order_by: '-name', names: 'a,b', per_page: '5000', page: '2' },
      SPEC,
    );
    expect(parsed.page).toEqual({ page: 2, perPage: 5000, orderBy: 'name', direction: 'DESC' });
    expect(parsed.filters.names).toEqual(['a', 'b']);
  });

  it.each([
    [{ per_page: '0' }, 'Per page must be between 1 and 5000'],
    [{ per_page: '5001' }, 'Per page must be between 1 and 5000'],
    [{ page: '-1' }, 'Page must be between'],
    [{ order_by: 'size' }, "Order by can only be: 'created_at', 'name'"],
    [{ sort: 'x' }, "Unknown query parameter(s): 'sort'"],
    [{ names: ['a', 'b'] }, "'names' must be given once"],
    [{ page: '1000000', per_page: '5000' }, 'is past any result'],
  ])('rejects %j', (query, message) => {
    let error: unknown;
    try {
      parseListQuery(query, SPEC);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).cf.title).toBe('CF-BadQueryParameter');
    expect((error as DomainError).detail).toContain(message);
  });
});

describe('presentList', () => {
  const page = (n: number, total: number) => ({
    items: ['x'],
    total,
    request: { page: n, perPage: 2, orderBy: 'name', direction: 'ASC' as const },
  });

  it('links first, last, next and previous keeping the filters', () => {
    const list = presentList(
      page(2, 5),
      'http://api',
      '/v3/things',
      { names: 'a', page: '2', per_page: '2' },
      (s) => s,
    );
    expect(list.pagination.total_pages).toBe(3);
    expect(list.pagination.first.href).toBe('http://api/v3/things?names=a&page=1&per_page=2');
    expect(list.pagination.last.href).toBe('http://api/v3/things?names=a&page=3&per_page=2');
    expect(list.pagination.next?.href).toBe('http://api/v3/things?names=a&page=3&per_page=2');
    expect(list.pagination.previous?.href).toBe('http://api/v3/things?names=a&page=1&per_page=2');
  });

  it('has one page and no next when empty', () => {
    const list = presentList(
      { ...page(1, 0), items: [] },
      'http://api',
      '/v3/things',
      {},
      (s) => s,
    );
    expect(list.pagination).toEqual(
      expect.objectContaining({ total_results: 0, total_pages: 1, next: null, previous: null }),
    );
  });
});
