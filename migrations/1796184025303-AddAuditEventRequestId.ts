import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddAuditEventRequestId1796184025303 implements MigrationInterface {
  name = 'AddAuditEventRequestId1796184025303';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_events" ADD "request_id" text`);
    await queryRunner.query(
      `CREATE INDEX "IDX_e63c8a1835d26f871f4195c324" ON "audit_events" ("request_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_e63c8a1835d26f871f4195c324"`);
    await queryRunner.query(`ALTER TABLE "audit_events" DROP COLUMN "request_id"`);
  }
}
