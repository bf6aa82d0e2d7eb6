import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsOptional, IsString, ValidateNested } from 'class-validator';
import { ToOneRelationshipRequest } from '../common/relationship.request';

class RouteRelationships {
  @ApiProperty({ type: ToOneRelationshipRequest })
  @ValidateNested()
  @Type(() => ToOneRelationshipRequest)
  space!: ToOneRelationshipRequest;

  @ApiProperty({ type: ToOneRelationshipRequest })
  @ValidateNested()
  @Type(() => ToOneRelationshipRequest)
  domain!: ToOneRelationshipRequest;
}

export class RouteCreateRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  host?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  path?: string;

  @ApiProperty({ type: RouteRelationships })
  @ValidateNested()
  @Type(() => RouteRelationships)
  relationships!: RouteRelationships;
}

class ProcessRef {
  @ApiProperty()
  @IsString()
  type!: string;
}

class AppRef {
  @ApiProperty()
  @IsString()
  guid!: string;

  @ApiPropertyOptional({ type: ProcessRef })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProcessRef)
  process?: ProcessRef;
}

class DestinationRequest {
  @ApiProperty({ type: AppRef })
  @ValidateNested()
  @Type(() => AppRef)
  app!: AppRef;
}

export class DestinationsRequest {
  @ApiProperty({ type: [DestinationRequest] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => DestinationRequest)
  destinations!: DestinationRequest[];
}

class OrgRelationship {
  @ApiPropertyOptional({ type: ToOneRelationshipRequest })
  @IsOptional()
  @ValidateNested()
  @Type(() => ToOneRelationshipRequest)
  organization?: ToOneRelationshipRequest;
}

export class DomainCreateRequest {
  @ApiProperty()
  @IsString()
  name!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  internal?: boolean;

  @ApiPropertyOptional({ type: OrgRelationship })
  @IsOptional()
  @ValidateNested()
  @Type(() => OrgRelationship)
  relationships?: OrgRelationship;
}
