import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsUUID, ValidateNested } from 'class-validator';

class GuidRef {
  @ApiProperty()
  @IsUUID()
  guid!: string;
}

class ToOne {
  @ApiProperty({ type: GuidRef })
  @ValidateNested()
  @Type(() => GuidRef)
  data!: GuidRef;
}

class PackageRelationships {
  @ApiProperty({ type: ToOne })
  @ValidateNested()
  @Type(() => ToOne)
  app!: ToOne;
}

export class PackageCreateRequest {
  @ApiProperty({ enum: ['bits'], description: 'Only bits packages (uploaded source) for now' })
  @IsIn(['bits'], { message: "type must be 'bits'" })
  type!: 'bits';

  @ApiProperty({ type: PackageRelationships })
  @ValidateNested()
  @Type(() => PackageRelationships)
  relationships!: PackageRelationships;
}
