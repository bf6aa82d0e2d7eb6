import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users and refresh tokens, organizations and spaces, user-visible jobs, and cells. */
export class CreateIdentityJobsAndCells1795000000000 implements MigrationInterface {
  name = 'CreateIdentityJobsAndCells1795000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "organizations" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "labels" jsonb NOT NULL DEFAULT '{}', "annotations" jsonb NOT NULL DEFAULT '{}', "name" text NOT NULL, "suspended" boolean NOT NULL DEFAULT false, CONSTRAINT "UQ_9b7ca6d30b94fef571cff876884" UNIQUE ("name"), CONSTRAINT "PK_45ffcbbcdd575a3aec9210815d0" PRIMARY KEY ("guid"))`,
    );
    await q.query(
      `CREATE TABLE "spaces" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "labels" jsonb NOT NULL DEFAULT '{}', "annotations" jsonb NOT NULL DEFAULT '{}', "name" text NOT NULL, "organization_guid" uuid NOT NULL, CONSTRAINT "PK_a755a345bc38be6e77a86e1c461" PRIMARY KEY ("guid"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "IDX_796d26baa0f739c5c1d364a785" ON "spaces" ("organization_guid", "name") `,
    );
    await q.query(
      `CREATE TABLE "jobs" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "operation" text NOT NULL, "state" text NOT NULL DEFAULT 'PROCESSING', "errors" jsonb NOT NULL DEFAULT '[]', "warnings" jsonb NOT NULL DEFAULT '[]', "resource_type" text NOT NULL, "resource_guid" uuid NOT NULL, "user_guid" uuid, CONSTRAINT "PK_eeec9acdb959221f3cfb90bcc6d" PRIMARY KEY ("guid"))`,
    );
    await q.query(`CREATE INDEX "IDX_b45e1c48b709946eed8ba3a867" ON "jobs" ("user_guid") `);
    await q.query(
      `CREATE TABLE "users" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "labels" jsonb NOT NULL DEFAULT '{}', "annotations" jsonb NOT NULL DEFAULT '{}', "username" text NOT NULL, "password_hash" text NOT NULL, "origin" text NOT NULL DEFAULT 'uaa', "admin" boolean NOT NULL DEFAULT false, CONSTRAINT "UQ_fe0bb3f6520ee0469504521e710" UNIQUE ("username"), CONSTRAINT "PK_cea63fa5bf2ee74c27a01f6155f" PRIMARY KEY ("guid"))`,
    );
    await q.query(
      `CREATE TABLE "refresh_tokens" ("jti" uuid NOT NULL, "user_guid" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f3752400c98d5c0b3dca54d66d5" PRIMARY KEY ("jti"))`,
    );
    await q.query(
      `CREATE INDEX "IDX_71775a2967924a26191192e62e" ON "refresh_tokens" ("user_guid") `,
    );
    await q.query(
      `CREATE TABLE "cells" ("guid" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "name" text NOT NULL, "docker_endpoint" text NOT NULL, "memory_capacity_mb" integer NOT NULL, "disk_capacity_mb" integer NOT NULL, "max_containers" integer NOT NULL DEFAULT '250', "enabled" boolean NOT NULL DEFAULT true, CONSTRAINT "UQ_9ba483b204db4708d9c2aedbe72" UNIQUE ("name"), CONSTRAINT "PK_5325b85a618ad596ad0af28792a" PRIMARY KEY ("guid"))`,
    );
    await q.query(
      `ALTER TABLE "spaces" ADD CONSTRAINT "FK_25c036badc06aff5d4359f4b8e9" FOREIGN KEY ("organization_guid") REFERENCES "organizations"("guid") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "spaces" DROP CONSTRAINT "FK_25c036badc06aff5d4359f4b8e9"`);
    await q.query(`DROP TABLE "cells"`);
    await q.query(`DROP INDEX "public"."IDX_71775a2967924a26191192e62e"`);
    await q.query(`DROP TABLE "refresh_tokens"`);
    await q.query(`DROP TABLE "users"`);
    await q.query(`DROP INDEX "public"."IDX_b45e1c48b709946eed8ba3a867"`);
    await q.query(`DROP TABLE "jobs"`);
    await q.query(`DROP INDEX "public"."IDX_796d26baa0f739c5c1d364a785"`);
    await q.query(`DROP TABLE "spaces"`);
    await q.query(`DROP TABLE "organizations"`);
  }
}
