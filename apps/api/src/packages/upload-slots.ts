import { Injectable } from '@nestjs/common';

/** Uploads in flight per user in this API process: one user cannot fill the scratch disk alone. */
@Injectable()
export class UploadSlots {
  private readonly inFlight = new Map<string, number>();

  /** A slot for the user, or null when they already hold `limit`; the function gives it back. */
  take(userGuid: string, limit: number): (() => void) | null {
    const held = this.inFlight.get(userGuid) ?? 0;
    if (held >= limit) return null;
    this.inFlight.set(userGuid, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = (this.inFlight.get(userGuid) ?? 1) - 1;
      if (now <= 0) this.inFlight.delete(userGuid);
      else this.inFlight.set(userGuid, now);
    };
  }
}
