import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Visibility } from '@wharf/access';
import { IdentityQueryService } from '@wharf/identity';
import { BLOBSTORE, Blobstore } from '@wharf/platform/blobstore';
import { isUuid } from '@wharf/platform/db';
import { PackagesErrorCode, packagesError } from './packages.errors';
import type { SafeTreeWriter } from './safe-tree.writer';

/** A file the client already knows the platform may have (CF's resource match entry). */
export interface ResourceRef {
  path?: string;
  sha1: string;
  sizeBytes: number;
  /** Octal text, e.g. "644" or "0755". */
  mode?: string;
}

/**
 * CF's resource pool: files of uploaded packages kept by content (sha1) so that a re-push sends
 * only what changed (`POST /v3/resource_matches`, then an upload listing the matched files).
 * Small files are not worth a round trip: like Cloud Controller, only files from 64 KiB up to
 * 512 MB are pooled.
 *
 * The pool is kept per organization: a file's bytes are handed only to packages of the
 * organization that uploaded it, so knowing another tenant's sha1 and size gets nothing.
 */
export const RESOURCE_POOL_LIMITS = { minBytes: 64 * 1024, maxBytes: 512 * 1024 * 1024 } as const;

const resourceKey = (organizationGuid: string, sha1: string): string => {
  if (!isUuid(organizationGuid)) throw new Error('the resource pool is kept by organization guid');
  return `resources/${organizationGuid}/${sha1}`;
};
/**
 * A match must hold in every organization the caller may push to (the request does not say
 * which); past this many the pool answers no matches, which only costs an upload.
 */
const MAX_MATCH_ORGANIZATIONS = 20;
const SHA1 = /^[0-9a-f]{40}$/;

@Injectable()
export class ResourcePool {
  private readonly logger = new Logger('ResourcePool');

  constructor(
    @Inject(BLOBSTORE) private readonly blobs: Blobstore,
    private readonly identity: IdentityQueryService,
  ) {}

  /**
   * The resources the pool holds (same sha1 and size) in each organization where the caller may
   * push: an upload is matched against its own organization's pool only.
   */
  async matches(scope: Visibility, resources: ResourceRef[]): Promise<ResourceRef[]> {
    const organizationGuids = await this.identity.pushOrganizationGuids(
      scope,
      MAX_MATCH_ORGANIZATIONS,
    );
    if (organizationGuids.length === 0 || organizationGuids.length > MAX_MATCH_ORGANIZATIONS)
      return [];
    const found: ResourceRef[] = [];
    for (const r of resources) {
      if (!SHA1.test(r.sha1) || !this.poolable(r.sizeBytes)) continue;
      let everywhere = true;
      for (const org of organizationGuids) {
        if (!(await this.blobs.exists(resourceKey(org, r.sha1)))) {
          everywhere = false;
          break;
        }
      }
      if (everywhere) found.push(r);
    }
    return found;
  }

  /** Keeps the poolable files of an accepted package's tree. Best effort: a failure only logs. */
  async remember(organizationGuid: string, tree: string): Promise<void> {
    try {
      await this.poolTree(organizationGuid, tree);
    } catch (err) {
      this.logger.warn(`resources of a package not pooled: ${(err as Error).message}`);
    }
  }

  /**
   * Adds the listed pooled files of the organization to the tree being written, at their paths
   * (the writer checks them like any archive entry); an unknown one is an error.
   */
  async materialize(
    organizationGuid: string,
    writer: SafeTreeWriter,
    resources: ResourceRef[],
  ): Promise<void> {
    for (const r of resources) {
      if (!r.path || !SHA1.test(r.sha1)) {
        throw packagesError(
          PackagesErrorCode.InvalidArchive,
          'Each resource needs a path and a sha1.',
        );
      }
      const blob = this.poolable(r.sizeBytes)
        ? await this.blobs.get(resourceKey(organizationGuid, r.sha1))
        : null;
      if (!blob) {
        throw packagesError(
          PackagesErrorCode.InvalidArchive,
          `The resource ${r.path} (${r.sha1}) is not in the resource pool any more; upload it.`,
        );
      }
      await writer.file(r.path, r.mode ? parseInt(r.mode, 8) : 0o644, blob);
    }
  }

  private poolable(size: number): boolean {
    return size >= RESOURCE_POOL_LIMITS.minBytes && size <= RESOURCE_POOL_LIMITS.maxBytes;
  }

  private async poolTree(organizationGuid: string, dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      // Links are never followed: only regular files of the tree itself are pooled.
      if (entry.isDirectory()) await this.poolTree(organizationGuid, path);
      else if (entry.isFile() && this.poolable((await lstat(path)).size)) {
        const key = resourceKey(organizationGuid, await sha1Of(path));
        if (!(await this.blobs.exists(key))) await this.blobs.putFile(key, path);
      }
    }
  }
}

async function sha1Of(path: string): Promise<string> {
  const hash = createHash('sha1');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}
