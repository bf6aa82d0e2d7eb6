export * from './base.entity';
export * from './page';
export * from './data-source';
export * from './uuid';
export * from './database.module';
export * from './unique-violation';
export * from './advisory-locks';
export * from './db-pool.meter';
