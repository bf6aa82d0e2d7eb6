import { Inject, Injectable } from '@nestjs/common';
import { WHARF_CONFIG, WharfConfig } from '@wharf/platform/config';

/** The externally visible base URL used in every link the API renders. */
@Injectable()
export class ApiUrl {
  readonly base: string;

  constructor(@Inject(WHARF_CONFIG) config: WharfConfig) {
    this.base = config.api.url;
  }

  to(path: string): string {
    return `${this.base}${path}`;
  }
}
