/** PostgreSQL's unique_violation: the loser of two concurrent creates. */
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}
