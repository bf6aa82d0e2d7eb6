import { OmitType, PartialType } from '@nestjs/swagger';
import { SpaceCreateRequest } from './space-create.request';

/** Name and metadata, optional; a space never moves to another organization. */
export class SpaceUpdateRequest extends PartialType(
  OmitType(SpaceCreateRequest, ['relationships'] as const),
  { skipNullProperties: false },
) {}
