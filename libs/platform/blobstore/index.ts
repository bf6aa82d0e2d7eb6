export * from './blobstore.port';
export * from './directory.blobstore';
export * from './blobstore.module';
