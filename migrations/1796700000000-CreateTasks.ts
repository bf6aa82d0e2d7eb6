import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTasks1796700000000 implements MigrationInterface {
  name = 'CreateTasks1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "tasks" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "labels" jsonb NOT NULL DEFAULT '{}', "annotations" jsonb NOT NULL DEFAULT '{}', "app_guid" uuid NOT NULL, "sequence_id" integer NOT NULL, "name" text NOT NULL, "command" text NOT NULL, "state" text NOT NULL, "memory_in_mb" integer NOT NULL, "disk_in_mb" integer NOT NULL, "log_rate_limit_in_bytes_per_second" integer NOT NULL DEFAULT '-1', "droplet_guid" uuid NOT NULL, "failure_reason" text, "cell_guid" uuid, "container_id" text, CONSTRAINT "PK_297998bf76235bc6917a91fee62" PRIMARY KEY ("guid"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_098cd626f5d84303e5ac682c52" ON "tasks" ("app_guid", "sequence_id") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_5c1e55378c730af09601496928" ON "tasks" ("state") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_5c1e55378c730af09601496928"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_098cd626f5d84303e5ac682c52"`);
    await queryRunner.query(`DROP TABLE "tasks"`);
  }
}
