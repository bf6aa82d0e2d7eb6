import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, ValidateNested } from 'class-validator';
import { ToOneRelationshipRequest } from '../common/relationship.request';

class PackageRelationships {
  @ApiProperty({ type: ToOneRelationshipRequest })
  @ValidateNested()
  @Type(() => ToOneRelationshipRequest)
  app!: ToOneRelationshipRequest;
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
