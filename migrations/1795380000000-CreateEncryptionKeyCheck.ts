import { MigrationInterface, QueryRunner } from 'typeorm';

/** One row sealed with the installation's key, so a run with another key stops at `migrate`. */
export class CreateEncryptionKeyCheck1795380000000 implements MigrationInterface {
  name = 'CreateEncryptionKeyCheck1795380000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "encryption_key_check" ("id" smallint NOT NULL, "sealed" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_encryption_key_check" PRIMARY KEY ("id"), CONSTRAINT "CHK_encryption_key_check_one_row" CHECK ("id" = 1))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "encryption_key_check"`);
  }
}
