import { Global, Module } from '@nestjs/common';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { secretBoxFor } from './key-check';
import { SecretBox } from './secret-box';
import { useSecretBoxForColumns } from './sealed-json.transformer';

/** The one SecretBox of a process, keyed from the configuration; sealed columns use it too. */
@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [WHARF_CONFIG],
      useFactory: (config: WharfConfig) => {
        const box = secretBoxFor(config);
        useSecretBoxForColumns(box);
        return box;
      },
    },
  ],
  exports: [SecretBox],
})
export class SecretsModule {}
