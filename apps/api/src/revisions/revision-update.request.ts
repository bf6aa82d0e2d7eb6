import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ValidateNested } from 'class-validator';
import { MetadataRequest } from '../common/metadata.request';
import { IsOptionalNonNull } from '../common/is-optional-non-null.decorator';

/** A revision's metadata is all that changes (CF's PATCH /v3/revisions/:guid). */
export class RevisionUpdateRequest {
  @ApiPropertyOptional({ type: MetadataRequest })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => MetadataRequest)
  metadata?: MetadataRequest;
}
