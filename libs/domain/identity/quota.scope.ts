import type { EntityManager } from 'typeorm';
import type { Visibility } from '@wharf/access';
import type { Page, PageRequest } from '@wharf/platform/db';
import type { DomainError } from '@wharf/platform/errors';
import type { QuotaLimits } from './quota-limits.columns';

/** The limits a request sets; what it leaves out keeps its value (null = unlimited). */
export type QuotaLimitsPatch = Partial<QuotaLimits>;

/** CF's name for a kind of quota: the type of its jobs and audit events. */
export type QuotaKind = 'organization_quota' | 'space_quota';

/** What every quota has, whatever it is applied to. */
export interface QuotaRecord {
  guid: string;
  name: string;
  limits: QuotaLimits;
}

/** The types one kind of quota is read and changed with. */
export interface QuotaTypes {
  quota: QuotaRecord;
  /** What a create names besides the name, the limits and what it is applied to at once. */
  create: object;
  /** What an update may change besides the name and the limits. */
  update: object;
  filter: object;
}

/**
 * What the quota actions need to know of one kind of quota (organization or space): who may
 * create and change one, where its name must be unique, what it is applied to, and CF's words
 * for its errors. Everything else about creating, changing, applying and deleting is the same.
 * Writes take the `manager` of the change's transaction, so they commit with its audit event.
 */
export interface QuotaScope<T extends QuotaTypes> {
  readonly kind: QuotaKind;
  list(scope: Visibility, filter: T['filter'], page: PageRequest): Promise<Page<T['quota']>>;
  /** One the caller may see (else 404). */
  get(scope: Visibility, guid: string): Promise<T['quota']>;
  /** One the caller may see (else 404) and change (else 403). */
  toChange(scope: Visibility, guid: string): Promise<T['quota']>;
  /** A new quota, not yet saved, once the caller may create it (else 403, or 422 for its owner). */
  draft(
    scope: Visibility,
    fields: { guid: string; name: string; limits: QuotaLimits },
    options: T['create'],
  ): Promise<T['quota']>;
  /** What an update changes besides the name and the limits. */
  amend(quota: T['quota'], options: T['update']): void;
  /** Whether a quota named `name` exists where `quota` is (its organization, or the platform). */
  nameUsed(quota: T['quota'], name: string): Promise<boolean>;
  nameTaken(name: string): DomainError;
  inUse(quota: T['quota']): DomainError;
  /** How many organizations or spaces it is applied to, seen by the caller or not. */
  countApplied(quota: T['quota']): Promise<number>;
  /** 422 unless each organization or space exists (and a space is in the quota's organization). */
  requireTargets(quota: T['quota'], guids: string[]): Promise<void>;
  applyTo(guids: string[], quota: T['quota'], manager: EntityManager): Promise<void>;
  /** Takes it off one space; absent for organization quotas (an organization always has one). */
  removeFrom?(quota: T['quota'], guid: string, manager: EntityManager): Promise<void>;
  /** The organizations or spaces it is applied to that the caller sees. */
  appliedTo(scope: Visibility, quota: T['quota']): Promise<string[]>;
  save(quota: T['quota'], manager: EntityManager): Promise<T['quota']>;
  delete(quota: T['quota'], manager: EntityManager): Promise<void>;
}
