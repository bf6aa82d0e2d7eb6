import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateQuotas1796184496153 implements MigrationInterface {
  name = 'CreateQuotas1796184496153';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "organization_quotas" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "name" text NOT NULL, "total_domains" integer, "total_memory_in_mb" integer, "per_process_memory_in_mb" integer, "total_instances" integer, "per_app_tasks" integer, "log_rate_limit_in_bytes_per_second" integer, "paid_services_allowed" boolean NOT NULL DEFAULT true, "total_service_instances" integer, "total_service_keys" integer, "total_routes" integer, "total_reserved_ports" integer, CONSTRAINT "UQ_55a0ee45c83605f1f0eb56e0430" UNIQUE ("name"), CONSTRAINT "PK_9df8ef57df058d63f15e85c3bd0" PRIMARY KEY ("guid"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "space_quotas" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "name" text NOT NULL, "organization_guid" uuid NOT NULL, "total_memory_in_mb" integer, "per_process_memory_in_mb" integer, "total_instances" integer, "per_app_tasks" integer, "log_rate_limit_in_bytes_per_second" integer, "paid_services_allowed" boolean NOT NULL DEFAULT true, "total_service_instances" integer, "total_service_keys" integer, "total_routes" integer, "total_reserved_ports" integer, CONSTRAINT "PK_415d033236a399545c52e7c5070" PRIMARY KEY ("guid"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_c6c51f2547432218b323deb5d2" ON "space_quotas" ("organization_guid", "name") `,
    );
    // Every organization has a quota: the seeded unlimited `default`, which existing and new
    // organizations get (OrganizationCreateAction finds it by name).
    await queryRunner.query(
      `INSERT INTO "organization_quotas" ("guid", "name") VALUES (gen_random_uuid(), 'default')`,
    );
    await queryRunner.query(`ALTER TABLE "organizations" ADD "quota_guid" uuid`);
    await queryRunner.query(
      `UPDATE "organizations" SET "quota_guid" = (SELECT "guid" FROM "organization_quotas" WHERE "name" = 'default')`,
    );
    await queryRunner.query(`ALTER TABLE "organizations" ALTER COLUMN "quota_guid" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "spaces" ADD "space_quota_guid" uuid`);
    await queryRunner.query(
      `ALTER TABLE "organizations" ADD CONSTRAINT "FK_810917152affbddd422c45d6239" FOREIGN KEY ("quota_guid") REFERENCES "organization_quotas"("guid") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "space_quotas" ADD CONSTRAINT "FK_9174118b45e93ce6b0eed83df3c" FOREIGN KEY ("organization_guid") REFERENCES "organizations"("guid") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "spaces" ADD CONSTRAINT "FK_6a0698f08db3524d20319a443f0" FOREIGN KEY ("space_quota_guid") REFERENCES "space_quotas"("guid") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "spaces" DROP CONSTRAINT "FK_6a0698f08db3524d20319a443f0"`,
    );
    await queryRunner.query(
      `ALTER TABLE "space_quotas" DROP CONSTRAINT "FK_9174118b45e93ce6b0eed83df3c"`,
    );
    await queryRunner.query(
      `ALTER TABLE "organizations" DROP CONSTRAINT "FK_810917152affbddd422c45d6239"`,
    );
    await queryRunner.query(`ALTER TABLE "spaces" DROP COLUMN "space_quota_guid"`);
    await queryRunner.query(`ALTER TABLE "organizations" DROP COLUMN "quota_guid"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c6c51f2547432218b323deb5d2"`);
    await queryRunner.query(`DROP TABLE "space_quotas"`);
    await queryRunner.query(`DROP TABLE "organization_quotas"`);
  }
}
