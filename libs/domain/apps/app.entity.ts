import { Column, Entity, Index } from 'typeorm';
import { GuidEntityWithMetadata } from '@wharf/platform/db';
import { sealedJson } from '@wharf/platform/secrets';

export type AppState = 'STOPPED' | 'STARTED';
export type LifecycleType = 'buildpack' | 'docker';

@Entity('apps')
@Index(['spaceGuid', 'name'], { unique: true })
export class AppEntity extends GuidEntityWithMetadata {
  @Column({ type: 'text' })
  name!: string;

  /** The space lives in the identity context: its guid, not a relation. */
  @Column({ name: 'space_guid', type: 'uuid' })
  spaceGuid!: string;

  @Column({ type: 'text', default: 'STOPPED' })
  state!: AppState;

  @Column({ name: 'lifecycle_type', type: 'text', default: 'buildpack' })
  lifecycleType!: LifecycleType;

  /** Buildpack names in order; empty means auto-detect. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  buildpacks!: string[];

  @Column({ type: 'text', default: 'bookworm' })
  stack!: string;

  @Column({ name: 'current_droplet_guid', type: 'uuid', nullable: true })
  currentDropletGuid!: string | null;

  /**
   * The start commands the current droplet detected, by process type (Procfile, then the
   * buildpack's release); a process without its own command runs its type's entry.
   */
  @Column({ name: 'droplet_process_types', type: 'jsonb', default: () => "'{}'" })
  dropletProcessTypes!: Record<string, string>;

  /**
   * Changes on every start and restart: instances of an older version are replaced. It is
   * VCAP_APPLICATION's `version`.
   */
  @Column({ type: 'uuid', nullable: true })
  version!: string | null;

  /** The app's own variables (CF environment_variables), sealed at rest: values are secrets. */
  @Column({
    name: 'environment_variables',
    type: 'text',
    default: '{}',
    transformer: sealedJson<Record<string, string>>(),
  })
  environmentVariables!: Record<string, string>;

  /** CF's `revisions` app feature: each start or restart with changes records a revision. */
  @Column({ name: 'revisions_enabled', type: 'boolean', default: true })
  revisionsEnabled!: boolean;
}
