import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDomainsAndRoutes1795362136012 implements MigrationInterface {
  name = 'CreateDomainsAndRoutes1795362136012';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "domains" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "labels" jsonb NOT NULL DEFAULT '{}', "annotations" jsonb NOT NULL DEFAULT '{}', "name" text NOT NULL, "internal" boolean NOT NULL DEFAULT false, "organization_guid" uuid, CONSTRAINT "PK_216818214f2ba9e792fe5e402b0" PRIMARY KEY ("guid"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_f36af68a2defaa8ae5fdd9b564" ON "domains" ("name") `,
    );
    await queryRunner.query(
      `CREATE TABLE "route_destinations" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "route_guid" uuid NOT NULL, "app_guid" uuid NOT NULL, "process_type" text NOT NULL DEFAULT 'web', "port" integer NOT NULL DEFAULT '8080', CONSTRAINT "PK_5622c05ae9f490db99a9ccdbfd8" PRIMARY KEY ("guid"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_49bb5337b81b229ca5e51ec5fc" ON "route_destinations" ("app_guid") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_930b05c518347864a40dae74fc" ON "route_destinations" ("route_guid", "app_guid", "process_type") `,
    );
    await queryRunner.query(
      `CREATE TABLE "routes" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "labels" jsonb NOT NULL DEFAULT '{}', "annotations" jsonb NOT NULL DEFAULT '{}', "host" text NOT NULL DEFAULT '', "path" text NOT NULL DEFAULT '', "domain_guid" uuid NOT NULL, "space_guid" uuid NOT NULL, CONSTRAINT "PK_7779f1a65400806f0637bdb280d" PRIMARY KEY ("guid"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_0e251e43fd7b2f42ad54a6cef2" ON "routes" ("space_guid") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_1806a5280ea4a3c5ddf2b9d215" ON "routes" ("domain_guid", "host", "path") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_1806a5280ea4a3c5ddf2b9d215"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0e251e43fd7b2f42ad54a6cef2"`);
    await queryRunner.query(`DROP TABLE "routes"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_930b05c518347864a40dae74fc"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_49bb5337b81b229ca5e51ec5fc"`);
    await queryRunner.query(`DROP TABLE "route_destinations"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f36af68a2defaa8ae5fdd9b564"`);
    await queryRunner.query(`DROP TABLE "domains"`);
  }
}
