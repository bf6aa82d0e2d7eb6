import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateBuildsDropletsAndInstances1795357412833 implements MigrationInterface {
  name = 'CreateBuildsDropletsAndInstances1795357412833';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "instances" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "app_guid" uuid NOT NULL, "process_guid" uuid NOT NULL, "process_type" text NOT NULL, "index" integer NOT NULL, "instance_guid" uuid NOT NULL, "cell_guid" uuid NOT NULL, "container_id" text, "droplet_guid" uuid NOT NULL, "app_version" uuid NOT NULL, "state" text NOT NULL, "state_since" TIMESTAMP WITH TIME ZONE NOT NULL, "host_port" integer, "container_ip" text, "crash_count" integer NOT NULL DEFAULT '0', "healthy_since" TIMESTAMP WITH TIME ZONE, "next_restart_at" TIMESTAMP WITH TIME ZONE, "details" text, CONSTRAINT "PK_617b77da18bc0affdfb6bed1731" PRIMARY KEY ("guid"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_23d8138e0843c10105d60c3794" ON "instances" ("app_guid") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_4e621a6fffac6a42bdabaa4d2b" ON "instances" ("cell_guid", "host_port") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_925b0d5db4d313de877427368f" ON "instances" ("process_guid", "index") `,
    );
    await queryRunner.query(
      `CREATE TABLE "builds" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "labels" jsonb NOT NULL DEFAULT '{}', "annotations" jsonb NOT NULL DEFAULT '{}', "app_guid" uuid NOT NULL, "package_guid" uuid NOT NULL, "state" text NOT NULL DEFAULT 'STAGING', "error" text, "buildpacks" jsonb NOT NULL DEFAULT '[]', "stack" text NOT NULL, "staging_memory_in_mb" integer NOT NULL, "staging_disk_in_mb" integer NOT NULL, "droplet_guid" uuid, "created_by_guid" uuid, "created_by_name" text NOT NULL DEFAULT '', CONSTRAINT "PK_98e06ae50c795d8ce3e8f0ab2be" PRIMARY KEY ("guid"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_4cd49abb725c65d03ee66b674f" ON "builds" ("app_guid") `,
    );
    await queryRunner.query(
      `CREATE TABLE "droplets" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "labels" jsonb NOT NULL DEFAULT '{}', "annotations" jsonb NOT NULL DEFAULT '{}', "app_guid" uuid NOT NULL, "package_guid" uuid NOT NULL, "build_guid" uuid NOT NULL, "state" text NOT NULL, "process_types" jsonb NOT NULL DEFAULT '{}', "checksum_sha256" text NOT NULL, "size_bytes" bigint NOT NULL, "buildpacks" jsonb NOT NULL DEFAULT '[]', "stack" text NOT NULL, "image" text NOT NULL, CONSTRAINT "PK_cef4f6e71a40faae20572946e2b" PRIMARY KEY ("guid"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_13d7d755d7f8166fd5a6864d42" ON "droplets" ("app_guid") `,
    );
    await queryRunner.query(
      `ALTER TABLE "apps" ADD "droplet_process_types" jsonb NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(`ALTER TABLE "apps" ADD "version" uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "apps" DROP COLUMN "version"`);
    await queryRunner.query(`ALTER TABLE "apps" DROP COLUMN "droplet_process_types"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_13d7d755d7f8166fd5a6864d42"`);
    await queryRunner.query(`DROP TABLE "droplets"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4cd49abb725c65d03ee66b674f"`);
    await queryRunner.query(`DROP TABLE "builds"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_925b0d5db4d313de877427368f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4e621a6fffac6a42bdabaa4d2b"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_23d8138e0843c10105d60c3794"`);
    await queryRunner.query(`DROP TABLE "instances"`);
  }
}
