import { MigrationInterface, QueryRunner } from 'typeorm';

/** Packages: an app's uploaded source bits (the archive itself lives in the blobstore). */
export class CreatePackages1795351000000 implements MigrationInterface {
  name = 'CreatePackages1795351000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "packages" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "app_guid" uuid NOT NULL, "type" text NOT NULL DEFAULT 'bits', "state" text NOT NULL DEFAULT 'AWAITING_UPLOAD', "checksum_sha256" text, "archive_format" text, "size_bytes" bigint, "error" text, CONSTRAINT "PK_f107b62e6a26e5cfddb303eef0d" PRIMARY KEY ("guid"))`,
    );
    await q.query(`CREATE INDEX "IDX_53ee6016db77b0889dcf8d765c" ON "packages" ("app_guid") `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."IDX_53ee6016db77b0889dcf8d765c"`);
    await q.query(`DROP TABLE "packages"`);
  }
}
