import { MigrationInterface, QueryRunner } from 'typeorm';

/** Apps: desired state per app, keyed by space (a guid: spaces belong to another context). */
export class CreateApps1795350000000 implements MigrationInterface {
  name = 'CreateApps1795350000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "apps" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "labels" jsonb NOT NULL DEFAULT '{}', "annotations" jsonb NOT NULL DEFAULT '{}', "name" text NOT NULL, "space_guid" uuid NOT NULL, "state" text NOT NULL DEFAULT 'STOPPED', "lifecycle_type" text NOT NULL DEFAULT 'buildpack', "buildpacks" jsonb NOT NULL DEFAULT '[]', "stack" text NOT NULL DEFAULT 'bookworm', "current_droplet_guid" uuid, "environment_variables" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_7580cd7d05d43f93b6ce9f86ef7" PRIMARY KEY ("guid"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "IDX_9e9c15bd791a30b732c3768fcc" ON "apps" ("space_guid", "name") `,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "public"."IDX_9e9c15bd791a30b732c3768fcc"`);
    await q.query(`DROP TABLE "apps"`);
  }
}
