import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRoles1796182783059 implements MigrationInterface {
  name = 'CreateRoles1796182783059';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "roles" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "type" text NOT NULL, "user_guid" uuid NOT NULL, "organization_guid" uuid NOT NULL, "space_guid" uuid, CONSTRAINT "PK_1383579bcd1ada110e9dd76bedf" PRIMARY KEY ("guid"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_0ac764abefe8038f21e6a6abc3" ON "roles" ("user_guid") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_133b4c8841c25946efff88ddbe" ON "roles" ("organization_guid") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_a3c3fb254f8fd3fa59f72768ff" ON "roles" ("space_guid") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "roles_unique_space_role" ON "roles" ("user_guid", "type", "space_guid") WHERE space_guid IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "roles_unique_organization_role" ON "roles" ("user_guid", "type", "organization_guid") WHERE space_guid IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "roles" ADD CONSTRAINT "FK_0ac764abefe8038f21e6a6abc3f" FOREIGN KEY ("user_guid") REFERENCES "users"("guid") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "roles" ADD CONSTRAINT "FK_133b4c8841c25946efff88ddbea" FOREIGN KEY ("organization_guid") REFERENCES "organizations"("guid") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "roles" ADD CONSTRAINT "FK_a3c3fb254f8fd3fa59f72768ff0" FOREIGN KEY ("space_guid") REFERENCES "spaces"("guid") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "roles" DROP CONSTRAINT "FK_a3c3fb254f8fd3fa59f72768ff0"`);
    await queryRunner.query(`ALTER TABLE "roles" DROP CONSTRAINT "FK_133b4c8841c25946efff88ddbea"`);
    await queryRunner.query(`ALTER TABLE "roles" DROP CONSTRAINT "FK_0ac764abefe8038f21e6a6abc3f"`);
    await queryRunner.query(`DROP INDEX "public"."roles_unique_organization_role"`);
    await queryRunner.query(`DROP INDEX "public"."roles_unique_space_role"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a3c3fb254f8fd3fa59f72768ff"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_133b4c8841c25946efff88ddbe"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0ac764abefe8038f21e6a6abc3"`);
    await queryRunner.query(`DROP TABLE "roles"`);
  }
}
