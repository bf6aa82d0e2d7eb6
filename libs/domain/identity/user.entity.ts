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

  /**
   * Signed into every token issued to the user; a password change or the user's deletion moves it
   * on, so every token issued before stops working at once (not when it expires).
   */
  @Column({ name: 'token_generation', type: 'integer', default: 0 })
  tokenGeneration!: number;
}
