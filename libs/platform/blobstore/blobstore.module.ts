import { Global, Module } from '@nestjs/common';
import { resolve } from 'node:path';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { BLOBSTORE } from './blobstore.port';
import { DirectoryBlobstore } from './directory.blobstore';

@Global()
@Module({
  providers: [
    {
      provide: BLOBSTORE,
      inject: [WHARF_CONFIG],
      useFactory: (config: WharfConfig) =>
        new DirectoryBlobstore(resolve(config.stateDir, 'blobs')),
    },
  ],
  exports: [BLOBSTORE],
})
export class BlobstoreModule {}
