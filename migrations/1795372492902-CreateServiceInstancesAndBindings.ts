import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateServiceInstancesAndBindings1795372492902 implements MigrationInterface {
  name = 'CreateServiceInstancesAndBindings1795372492902';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "service_credential_bindings" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "labels" jsonb NOT NULL DEFAULT '{}', "annotations" jsonb NOT NULL DEFAULT '{}', "type" text NOT NULL, "name" text, "service_instance_guid" uuid NOT NULL, "app_guid" uuid, "credentials_sealed" text, CONSTRAINT "PK_6aae60037d840e4b5953a43a437" PRIMARY KEY ("guid"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_6a2ef064c1e2f4987235c7c83b" ON "service_credential_bindings" ("service_instance_guid") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_4c69abcb93fecddfb54547168b" ON "service_credential_bindings" ("app_guid") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_62a5c5e546f535754d4c9dc45f" ON "service_credential_bindings" ("service_instance_guid", "app_guid") WHERE "app_guid" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "service_instances" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "labels" jsonb NOT NULL DEFAULT '{}', "annotations" jsonb NOT NULL DEFAULT '{}', "name" text NOT NULL, "type" text NOT NULL, "space_guid" uuid NOT NULL, "credentials_sealed" text, "tags" jsonb NOT NULL DEFAULT '[]', "syslog_drain_url" text, "route_service_url" text, CONSTRAINT "PK_26d521d5e34ac8a4ea0c638e22d" PRIMARY KEY ("guid"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_66c38344093994d5496201ff19" ON "service_instances" ("space_guid") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_3f1c2604fd3d3c15abcbbc6be2" ON "service_instances" ("space_guid", "name") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_3f1c2604fd3d3c15abcbbc6be2"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_66c38344093994d5496201ff19"`);
    await queryRunner.query(`DROP TABLE "service_instances"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_62a5c5e546f535754d4c9dc45f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4c69abcb93fecddfb54547168b"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6a2ef064c1e2f4987235c7c83b"`);
    await queryRunner.query(`DROP TABLE "service_credential_bindings"`);
  }
}
