// Who is calling and what they may see and change: below every context (identity computes a
// caller's Visibility, events and the rest only read it), so none of them needs another for it.
export * from './principal';
export * from './visibility';
