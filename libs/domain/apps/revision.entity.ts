import { Column, Entity, Index } from 'typeorm';
import { GuidEntityWithMetadata } from '@wharf/platform/db';
import { sealedJson } from '@wharf/platform/secrets';

/**
 * What an app ran from one start or restart: its droplet, its environment variables and the
 * custom start command of each process type (null: the droplet's). CF's app revision.
 */
@Entity('revisions')
@Index(['appGuid', 'version'], { unique: true })
export class RevisionEntity extends GuidEntityWithMetadata {
  @Column({ name: 'app_guid', type: 'uuid' })
  appGuid!: string;

  /** 1, 2, … per app; after 9999 it starts at 1 again, replacing that revision. */
  @Column({ type: 'integer' })
  version!: number;

  /** The droplet lives in the staging context: its guid, not a relation. */
  @Column({ name: 'droplet_guid', type: 'uuid' })
  dropletGuid!: string;

  /** The app's variables when the revision was made, sealed at rest as the app's are. */
  @Column({
    name: 'environment_variables',
    type: 'text',
    default: '{}',
    transformer: sealedJson<Record<string, string>>(),
  })
  environmentVariables!: Record<string, string>;

  /** Custom start command by process type (null where the droplet's command runs). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  commands!: Record<string, string | null>;

  @Column({ type: 'text' })
  description!: string;
}
