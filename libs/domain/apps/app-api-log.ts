import { Injectable, Logger } from '@nestjs/common';
import { LogStore } from '@wharf/platform/logstream';

/** `[API/0]` lines in an app's log for what users change, as Cloud Controller writes them. */
@Injectable()
export class AppApiLog {
  private readonly logger = new Logger('AppApiLog');

  constructor(private readonly logs: LogStore) {}

  async write(appGuid: string, message: string): Promise<void> {
    await this.logs
      .append(appGuid, [{ sourceType: 'API', instanceId: '0', type: 'OUT', message }])
      .catch((err: Error) => this.logger.warn(`log line lost: ${err.message}`));
  }
}
