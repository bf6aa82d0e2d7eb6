import { Column, Entity, Index } from 'typeorm';
import { GuidEntityWithMetadata } from '@wharf/platform/db';

export type BuildState = 'STAGING' | 'STAGED' | 'FAILED';

/** One staging of a package: STAGING → STAGED (with a droplet) or FAILED (with CF's error). */
@Entity('builds')
export class BuildEntity extends GuidEntityWithMetadata {
  @Index()
  @Column({ name: 'app_guid', type: 'uuid' })
  appGuid!: string;

  @Column({ name: 'package_guid', type: 'uuid' })
  packageGuid!: string;

  @Column({ type: 'text', default: 'STAGING' })
  state!: BuildState;

  /** "<CF error name> - <detail>", as CF shows it. */
  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** Buildpack names to run in order; empty = detect. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  buildpacks!: string[];

  @Column({ type: 'text' })
  stack!: string;

  @Column({ name: 'staging_memory_in_mb', type: 'integer' })
  stagingMemoryInMb!: number;

  @Column({ name: 'staging_disk_in_mb', type: 'integer' })
  stagingDiskInMb!: number;

  @Column({ name: 'droplet_guid', type: 'uuid', nullable: true })
  dropletGuid!: string | null;

  @Column({ name: 'created_by_guid', type: 'uuid', nullable: true })
  createdByGuid!: string | null;

  @Column({ name: 'created_by_name', type: 'text', default: '' })
  createdByName!: string;
}
