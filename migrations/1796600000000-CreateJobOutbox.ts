import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateJobOutbox1796600000000 implements MigrationInterface {
  name = 'CreateJobOutbox1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "job_outbox" ("id" uuid NOT NULL, "name" text NOT NULL, "key" text NOT NULL, "payload" jsonb NOT NULL, "delay_ms" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c3ba45dab51e3016acef18d0433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_afaf3f56e8d18ce32c30e0993f" ON "job_outbox" ("created_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_afaf3f56e8d18ce32c30e0993f"`);
    await queryRunner.query(`DROP TABLE "job_outbox"`);
  }
}
