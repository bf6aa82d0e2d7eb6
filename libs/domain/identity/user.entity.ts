import { Column, Entity } from 'typeorm';
import { GuidEntityWithMetadata } from '@wharf/platform/db';

@Entity('users')
export class UserEntity extends GuidEntityWithMetadata {
  @Column({ type: 'text', unique: true })
  username!: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ type: 'text', default: 'uaa' })
  origin!: string;

  /** Platform admin (cloud_controller.admin). Org and space roles come with the tenancy issue. */
  @Column({ type: 'boolean', default: false })
  admin!: boolean;
}
