import { Column, Entity, Index } from 'typeorm';
import { GuidEntity } from '@wharf/platform/db';

export type PackageState =
  'AWAITING_UPLOAD' | 'PROCESSING_UPLOAD' | 'READY' | 'FAILED' | 'COPYING' | 'EXPIRED';

/** An app's source bits as uploaded (the archive is kept in the blobstore under packages/<guid>). */
@Entity('packages')
export class PackageEntity extends GuidEntity {
  @Index()
  @Column({ name: 'app_guid', type: 'uuid' })
  appGuid!: string;

  @Column({ type: 'text', default: 'bits' })
  type!: 'bits';

  @Column({ type: 'text', default: 'AWAITING_UPLOAD' })
  state!: PackageState;

  @Column({ name: 'checksum_sha256', type: 'text', nullable: true })
  checksumSha256!: string | null;

  @Column({ name: 'archive_format', type: 'text', nullable: true })
  archiveFormat!: 'zip' | 'tar' | null;

  @Column({ name: 'size_bytes', type: 'bigint', nullable: true })
  sizeBytes!: string | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
