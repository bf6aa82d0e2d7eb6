import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Until this release deleting an app left its route destinations behind (the purge job was never
 * enqueued). Removes those leading to apps that no longer exist; new deletions purge them.
 */
export class UnmapDeletedApps1795367000000 implements MigrationInterface {
  name = 'UnmapDeletedApps1795367000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `DELETE FROM "route_destinations" d WHERE NOT EXISTS (SELECT 1 FROM "apps" a WHERE a."guid" = d."app_guid")`,
    );
  }

  public async down(): Promise<void> {
    // Nothing to restore: the rows led to apps that were gone.
  }
}
