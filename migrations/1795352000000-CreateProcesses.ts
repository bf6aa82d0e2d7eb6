import { MigrationInterface, QueryRunner } from 'typeorm';

/** Processes: per app and type, the desired instances, limits, command and health check. */
export class CreateProcesses1795352000000 implements MigrationInterface {
  name = 'CreateProcesses1795352000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "processes" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "app_guid" uuid NOT NULL, "type" text NOT NULL, "command" text, "instances" integer NOT NULL, "memory_in_mb" integer NOT NULL, "disk_in_mb" integer NOT NULL, "health_check_type" text NOT NULL, "health_check_endpoint" text, "health_check_timeout" integer, "health_check_invocation_timeout" integer, "health_check_interval" integer, CONSTRAINT "PK_78b3e51b55370fb7eb4775c0a08" PRIMARY KEY ("guid"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "IDX_29f74c852734138822ce64bfbf" ON "processes" ("app_guid", "type") `,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."IDX_29f74c852734138822ce64bfbf"`);
    await q.query(`DROP TABLE "processes"`);
  }
}
