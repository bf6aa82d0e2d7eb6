import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Service brokers with their catalogs (offerings, plans, plan visibility per org), and what managed
 * instances and bindings need: a plan, the last operation with the broker's opaque operation and
 * the /v3/jobs row reporting it, parameters waiting to be sent (sealed).
 */
export class CreateServiceBrokersAndManagedInstances1795389615949 implements MigrationInterface {
  name = 'CreateServiceBrokersAndManagedInstances1795389615949';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "service_brokers" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "labels" jsonb NOT NULL DEFAULT '{}', "annotations" jsonb NOT NULL DEFAULT '{}', "name" text NOT NULL, "url" text NOT NULL, "username" text NOT NULL, "password_sealed" text NOT NULL, "registered" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_f0a994e59907b2b5390a86292dd" PRIMARY KEY ("guid"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_59b1db6db5637ff1c7f16ec7a2" ON "service_brokers" ("name") `,
    );
    await queryRunner.query(
      `CREATE TABLE "service_offerings" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "labels" jsonb NOT NULL DEFAULT '{}', "annotations" jsonb NOT NULL DEFAULT '{}', "broker_guid" uuid NOT NULL, "catalog_id" text NOT NULL, "name" text NOT NULL, "description" text NOT NULL, "available" boolean NOT NULL DEFAULT true, "bindable" boolean NOT NULL, "tags" jsonb NOT NULL DEFAULT '[]', "requires" jsonb NOT NULL DEFAULT '[]', "instances_retrievable" boolean NOT NULL DEFAULT false, "bindings_retrievable" boolean NOT NULL DEFAULT false, "plan_updateable" boolean NOT NULL DEFAULT false, "allow_context_updates" boolean NOT NULL DEFAULT false, "shareable" boolean NOT NULL DEFAULT false, "documentation_url" text, "catalog_metadata" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_b78b468251179823d87ad07f794" PRIMARY KEY ("guid"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_5d044a0ff4e60601e9ae05c8dd" ON "service_offerings" ("broker_guid") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c583a26530f52acd9af8f3c685" ON "service_offerings" ("name") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_9c654db1e9b2b88375f52e60dd" ON "service_offerings" ("broker_guid", "catalog_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "service_plan_visibilities" ("plan_guid" uuid NOT NULL, "organization_guid" uuid NOT NULL, CONSTRAINT "PK_f6c6d7048d30a5230d2cbce21dc" PRIMARY KEY ("plan_guid", "organization_guid"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_3d17f3407f827fc6d05d44835c" ON "service_plan_visibilities" ("organization_guid") `,
    );
    await queryRunner.query(
      `CREATE TABLE "service_plans" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "labels" jsonb NOT NULL DEFAULT '{}', "annotations" jsonb NOT NULL DEFAULT '{}', "offering_guid" uuid NOT NULL, "catalog_id" text NOT NULL, "name" text NOT NULL, "description" text NOT NULL, "free" boolean NOT NULL DEFAULT true, "available" boolean NOT NULL DEFAULT true, "bindable" boolean, "plan_updateable" boolean, "maximum_polling_duration" integer, "maintenance_info" jsonb, "costs" jsonb NOT NULL DEFAULT '[]', "catalog_metadata" jsonb NOT NULL DEFAULT '{}', "schemas" jsonb NOT NULL DEFAULT '{}', "public" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_ea04c2538af3b17cd067f3fa529" PRIMARY KEY ("guid"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c72bec22d9927c0f011678182d" ON "service_plans" ("offering_guid") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_114341b8fcbb05602ee4696418" ON "service_plans" ("offering_guid", "catalog_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "service_credential_bindings" ADD "pending_parameters_sealed" text`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_credential_bindings" ADD "last_operation_type" text NOT NULL DEFAULT 'create'`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_credential_bindings" ADD "last_operation_state" text NOT NULL DEFAULT 'succeeded'`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_credential_bindings" ADD "last_operation_description" text`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_credential_bindings" ADD "last_operation_started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_credential_bindings" ADD "last_operation_updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_credential_bindings" ADD "last_operation_broker_operation" text`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_credential_bindings" ADD "last_operation_job_guid" uuid`,
    );
    await queryRunner.query(`ALTER TABLE "service_instances" ADD "service_plan_guid" uuid`);
    await queryRunner.query(`ALTER TABLE "service_instances" ADD "dashboard_url" text`);
    await queryRunner.query(`ALTER TABLE "service_instances" ADD "pending_parameters_sealed" text`);
    await queryRunner.query(`ALTER TABLE "service_instances" ADD "pending_plan_guid" uuid`);
    await queryRunner.query(
      `ALTER TABLE "service_instances" ADD "last_operation_type" text NOT NULL DEFAULT 'create'`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_instances" ADD "last_operation_state" text NOT NULL DEFAULT 'succeeded'`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_instances" ADD "last_operation_description" text`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_instances" ADD "last_operation_started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_instances" ADD "last_operation_updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_instances" ADD "last_operation_broker_operation" text`,
    );
    await queryRunner.query(`ALTER TABLE "service_instances" ADD "last_operation_job_guid" uuid`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_19119f99ef8516484d8770e0ee" ON "service_credential_bindings" ("service_instance_guid", "name") WHERE "type" = 'key'`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_2120cbcd7fb5f985a978d88a21" ON "service_instances" ("service_plan_guid") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_2120cbcd7fb5f985a978d88a21"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_19119f99ef8516484d8770e0ee"`);
    await queryRunner.query(
      `ALTER TABLE "service_instances" DROP COLUMN "last_operation_job_guid"`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_instances" DROP COLUMN "last_operation_broker_operation"`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_instances" DROP COLUMN "last_operation_updated_at"`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_instances" DROP COLUMN "last_operation_started_at"`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_instances" DROP COLUMN "last_operation_description"`,
    );
    await queryRunner.query(`ALTER TABLE "service_instances" DROP COLUMN "last_operation_state"`);
    await queryRunner.query(`ALTER TABLE "service_instances" DROP COLUMN "last_operation_type"`);
    await queryRunner.query(`ALTER TABLE "service_instances" DROP COLUMN "pending_plan_guid"`);
    await queryRunner.query(
      `ALTER TABLE "service_instances" DROP COLUMN "pending_parameters_sealed"`,
    );
    await queryRunner.query(`ALTER TABLE "service_instances" DROP COLUMN "dashboard_url"`);
    await queryRunner.query(`ALTER TABLE "service_instances" DROP COLUMN "service_plan_guid"`);
    await queryRunner.query(
      `ALTER TABLE "service_credential_bindings" DROP COLUMN "last_operation_job_guid"`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_credential_bindings" DROP COLUMN "last_operation_broker_operation"`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_credential_bindings" DROP COLUMN "last_operation_updated_at"`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_credential_bindings" DROP COLUMN "last_operation_started_at"`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_credential_bindings" DROP COLUMN "last_operation_description"`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_credential_bindings" DROP COLUMN "last_operation_state"`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_credential_bindings" DROP COLUMN "last_operation_type"`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_credential_bindings" DROP COLUMN "pending_parameters_sealed"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_114341b8fcbb05602ee4696418"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c72bec22d9927c0f011678182d"`);
    await queryRunner.query(`DROP TABLE "service_plans"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3d17f3407f827fc6d05d44835c"`);
    await queryRunner.query(`DROP TABLE "service_plan_visibilities"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9c654db1e9b2b88375f52e60dd"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c583a26530f52acd9af8f3c685"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5d044a0ff4e60601e9ae05c8dd"`);
    await queryRunner.query(`DROP TABLE "service_offerings"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_59b1db6db5637ff1c7f16ec7a2"`);
    await queryRunner.query(`DROP TABLE "service_brokers"`);
  }
}
