import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddCellDockerTls1796591629962 implements MigrationInterface {
  name = 'AddCellDockerTls1796591629962';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "cells" ADD "docker_tls" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "cells" DROP COLUMN "docker_tls"`);
  }
}
