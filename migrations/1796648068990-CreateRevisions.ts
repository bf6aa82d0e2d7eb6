import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRevisions1796648068990 implements MigrationInterface {
  name = 'CreateRevisions1796648068990';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "revisions" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "labels" jsonb NOT NULL DEFAULT '{}', "annotations" jsonb NOT NULL DEFAULT '{}', "app_guid" uuid NOT NULL, "version" integer NOT NULL, "droplet_guid" uuid NOT NULL, "environment_variables" text NOT NULL DEFAULT '{}', "commands" jsonb NOT NULL DEFAULT '{}', "description" text NOT NULL, CONSTRAINT "PK_b1717347c1eb3e1521998f04e52" PRIMARY KEY ("guid"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_30d2dcafc67723ad7dfed70255" ON "revisions" ("app_guid", "version") `,
    );
    await queryRunner.query(
      `ALTER TABLE "apps" ADD "revisions_enabled" boolean NOT NULL DEFAULT true`,
    );
    await queryRunner.query(`ALTER TABLE "processes" ADD "revision_guid" uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "processes" DROP COLUMN "revision_guid"`);
    await queryRunner.query(`ALTER TABLE "apps" DROP COLUMN "revisions_enabled"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_30d2dcafc67723ad7dfed70255"`);
    await queryRunner.query(`DROP TABLE "revisions"`);
  }
}
