import { Injectable } from '@nestjs/common';
import { Visibility } from '@wharf/access';
import { mergeMetadata, MetadataPatch } from '@wharf/identity';
import { RevisionEntity } from './revision.entity';
import { RevisionRepository } from './revision.repository';
import { RevisionsQueryService } from './revisions-query.service';

/** A revision's labels and annotations: the only thing about it that changes (CF's PATCH). */
@Injectable()
export class RevisionUpdateAction {
  constructor(
    private readonly query: RevisionsQueryService,
    private readonly revisions: RevisionRepository,
  ) {}

  async execute(input: {
    scope: Visibility;
    guid: string;
    metadata?: MetadataPatch;
  }): Promise<RevisionEntity> {
    const revision = await this.query.getToChange(input.scope, input.guid);
    revision.labels = mergeMetadata(revision.labels, input.metadata?.labels);
    revision.annotations = mergeMetadata(revision.annotations, input.metadata?.annotations);
    return this.revisions.save(revision);
  }
}
