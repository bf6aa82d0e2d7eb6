import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddUserTokenGeneration1796591433160 implements MigrationInterface {
  name = 'AddUserTokenGeneration1796591433160';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "users" ADD "token_generation" integer NOT NULL DEFAULT '0'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "token_generation"`);
  }
}
