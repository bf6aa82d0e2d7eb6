import { DynamicModule, Global, Module } from '@nestjs/common';
import { loadConfig, WharfConfig } from './wharf-config';

export const WHARF_CONFIG = Symbol('WHARF_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  /** The process's config, loaded and validated once; tests pass their own. */
  static forRoot(config: WharfConfig = loadConfig()): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: WHARF_CONFIG, useValue: config }],
      exports: [WHARF_CONFIG],
    };
  }
}
