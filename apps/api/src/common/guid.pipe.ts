import { Injectable, PipeTransform } from '@nestjs/common';
import { isUuid } from '@wharf/platform/db';
import { notFound } from '@wharf/platform/errors';

/** A path guid that cannot exist is answered like any unknown guid: 404, never a DB error. */
@Injectable()
export class GuidPipe implements PipeTransform<string, string> {
  constructor(private readonly resource: string) {}

  transform(value: string): string {
    if (!isUuid(value)) throw notFound(this.resource);
    return value.toLowerCase();
  }
}
