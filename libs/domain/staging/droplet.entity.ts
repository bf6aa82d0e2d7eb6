import { Column, Entity, Index } from 'typeorm';
import { GuidEntityWithMetadata } from '@wharf/platform/db';

/** EXPIRED: an older droplet whose bits and image are gone (CF keeps a few per app). */
export type DropletState = 'STAGED' | 'FAILED' | 'EXPIRED';

export interface DropletBuildpack {
  name: string;
  detect_output: string | null;
  version: string | null;
  buildpack_name: string | null;
}

/**
 * What staging produced: /home/vcap/{app,deps} and staging_info.yml as a tarball in the blobstore
 * (`droplets/<guid>`, with its sha256), and the image instances run from.
 */
@Entity('droplets')
export class DropletEntity extends GuidEntityWithMetadata {
  @Index()
  @Column({ name: 'app_guid', type: 'uuid' })
  appGuid!: string;

  @Column({ name: 'package_guid', type: 'uuid' })
  packageGuid!: string;

  @Column({ name: 'build_guid', type: 'uuid' })
  buildGuid!: string;

  @Column({ type: 'text' })
  state!: DropletState;

  @Column({ name: 'process_types', type: 'jsonb', default: () => "'{}'" })
  processTypes!: Record<string, string>;

  @Column({ name: 'checksum_sha256', type: 'text' })
  checksumSha256!: string;

  @Column({ name: 'size_bytes', type: 'bigint' })
  sizeBytes!: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  buildpacks!: DropletBuildpack[];

  @Column({ type: 'text' })
  stack!: string;

  /** `wharf/droplet:<guid>` on the cell that staged it. */
  @Column({ type: 'text' })
  image!: string;
}
