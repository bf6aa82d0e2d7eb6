import { Column, CreateDateColumn, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Every CF resource is identified by a guid and carries created_at / updated_at. */
export abstract class GuidEntity {
  @PrimaryColumn('uuid')
  guid!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** CF metadata: labels and annotations, stored as JSON objects. */
export abstract class GuidEntityWithMetadata extends GuidEntity {
  @Column({ type: 'jsonb', default: () => "'{}'" })
  labels!: Record<string, string>;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  annotations!: Record<string, string>;
}
