import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuditEvents1795360084950 implements MigrationInterface {
  name = 'CreateAuditEvents1795360084950';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_events" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "type" text NOT NULL, "actor_guid" text NOT NULL, "actor_type" text NOT NULL, "actor_name" text NOT NULL, "target_guid" uuid NOT NULL, "target_type" text NOT NULL, "target_name" text NOT NULL, "data" jsonb NOT NULL DEFAULT '{}', "space_guid" uuid, "organization_guid" uuid, CONSTRAINT "PK_88913fb9e830f94cacf3aab60cd" PRIMARY KEY ("guid"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_46f9873edb2bcfdb1124f071fb" ON "audit_events" ("type") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_c6809180024ef853ff48cc5457" ON "audit_events" ("space_guid") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_943ae229223d4ce83386f1e987" ON "audit_events" ("target_guid", "created_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_943ae229223d4ce83386f1e987"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c6809180024ef853ff48cc5457"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_46f9873edb2bcfdb1124f071fb"`);
    await queryRunner.query(`DROP TABLE "audit_events"`);
  }
}
