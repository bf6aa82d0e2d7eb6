import { Global, Module } from '@nestjs/common';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';
import { SecretBox } from './secret-box';

/** The one SecretBox of a process, keyed from the configuration. */
@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [WHARF_CONFIG],
      useFactory: (config: WharfConfig) =>
        config.encryptionKey
          ? new SecretBox(config.encryptionKey)
          : new SecretBox(config.auth.jwtSecret, 'wharf secrets at rest (from the token key)'),
    },
  ],
  exports: [SecretBox],
})
export class SecretsModule {}
