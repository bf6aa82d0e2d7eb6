import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * apps.environment_variables becomes a text column holding the variables sealed (SecretBox).
 * The values are kept: existing rows become their JSON text, which the API reads as before and
 * seals at its next start (AppEnvironmentSealer).
 */
export class SealAppEnvironmentVariables1795373778383 implements MigrationInterface {
  name = 'SealAppEnvironmentVariables1795373778383';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "apps" ALTER COLUMN "environment_variables" DROP DEFAULT`);
    await queryRunner.query(
      `ALTER TABLE "apps" ALTER COLUMN "environment_variables" TYPE text USING "environment_variables"::text`,
    );
    await queryRunner.query(
      `ALTER TABLE "apps" ALTER COLUMN "environment_variables" SET DEFAULT '{}'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Sealed values cannot become jsonb again without the key: refuse rather than lose them.
    const sealed: { n: number }[] = (await queryRunner.query(
      `SELECT count(*)::int AS n FROM "apps" WHERE "environment_variables" LIKE 'v1.%'`,
    )) as { n: number }[];
    if (sealed[0]?.n) {
      throw new Error(
        'apps hold sealed environment variables; restore the database from a backup taken before the upgrade instead',
      );
    }
    await queryRunner.query(`ALTER TABLE "apps" ALTER COLUMN "environment_variables" DROP DEFAULT`);
    await queryRunner.query(
      `ALTER TABLE "apps" ALTER COLUMN "environment_variables" TYPE jsonb USING "environment_variables"::jsonb`,
    );
    await queryRunner.query(
      `ALTER TABLE "apps" ALTER COLUMN "environment_variables" SET DEFAULT '{}'`,
    );
  }
}
