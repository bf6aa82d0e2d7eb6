import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDeployments1796657093919 implements MigrationInterface {
  name = 'CreateDeployments1796657093919';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_925b0d5db4d313de877427368f"`);
    await queryRunner.query(
      `CREATE TABLE "deployments" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "labels" jsonb NOT NULL DEFAULT '{}', "annotations" jsonb NOT NULL DEFAULT '{}', "app_guid" uuid NOT NULL, "status_value" text NOT NULL, "status_reason" text NOT NULL, "status_updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "strategy" text NOT NULL, "max_in_flight" integer NOT NULL, "promoted" boolean NOT NULL DEFAULT false, "droplet_guid" uuid NOT NULL, "previous_droplet_guid" uuid, "revision_guid" uuid, "revision_version" integer, "previous_revision_guid" uuid, "app_version" uuid NOT NULL, "previous_app_version" uuid, "last_healthy_at" TIMESTAMP WITH TIME ZONE, "error" text, CONSTRAINT "PK_f8055f4ec2a0094c4ecc755bdef" PRIMARY KEY ("guid"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ce4f741b0fc3b524ca2c43562a" ON "deployments" ("app_guid", "status_value") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_94ab6f93ac5f703d9ccea4b689" ON "instances" ("process_guid", "app_version", "index") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_94ab6f93ac5f703d9ccea4b689"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ce4f741b0fc3b524ca2c43562a"`);
    await queryRunner.query(`DROP TABLE "deployments"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_925b0d5db4d313de877427368f" ON "instances" ("process_guid", "index") `,
    );
  }
}
