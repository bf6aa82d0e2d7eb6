import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsUUID, ValidateNested } from 'class-validator';

class GuidReference {
  @ApiProperty()
  @IsUUID()
  guid!: string;
}

/** CF's to-one relationship in request bodies: `{"data": {"guid": "..."}}`. */
export class ToOneRelationshipRequest {
  @ApiProperty({ type: GuidReference })
  @ValidateNested()
  @Type(() => GuidReference)
  data!: GuidReference;
}
