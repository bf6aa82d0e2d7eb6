import { FindOptionsOrder, FindOptionsWhere, ObjectLiteral, Repository } from 'typeorm';

/** A validated list request: every CF list endpoint takes page, per_page and order_by. */
export interface PageRequest {
  page: number;
  perPage: number;
  /** Entity property to sort by, already checked against the endpoint's allowed fields. */
  orderBy: string;
  direction: 'ASC' | 'DESC';
}

export interface Page<T> {
  items: T[];
  total: number;
  request: PageRequest;
}

/** One page of a repository's rows, with a stable tie-break on guid. An empty OR-list matches nothing. */
export async function findPage<T extends ObjectLiteral>(
  repo: Repository<T>,
  where: FindOptionsWhere<T> | FindOptionsWhere<T>[],
  request: PageRequest,
): Promise<Page<T>> {
  // TypeORM reads an empty OR-list as "no condition"; for a scoped read it means "nothing visible".
  if (Array.isArray(where) && where.length === 0) return { items: [], total: 0, request };
  const order = {
    [request.orderBy]: request.direction,
    guid: 'ASC',
  } as unknown as FindOptionsOrder<T>;
  const [items, total] = await repo.findAndCount({
    where,
    order,
    skip: (request.page - 1) * request.perPage,
    take: request.perPage,
  });
  return { items, total, request };
}
