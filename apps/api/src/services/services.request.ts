import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ToOneRelationshipRequest } from '../common/relationship.request';

class InstanceRelationships {
  @ApiProperty({ type: ToOneRelationshipRequest })
  @ValidateNested()
  @Type(() => ToOneRelationshipRequest)
  space!: ToOneRelationshipRequest;

  @ApiPropertyOptional({ type: ToOneRelationshipRequest, description: 'Managed instances' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ToOneRelationshipRequest)
  service_plan?: ToOneRelationshipRequest;
}

class PlanRelationship {
  @ApiPropertyOptional({ type: ToOneRelationshipRequest })
  @IsOptional()
  @ValidateNested()
  @Type(() => ToOneRelationshipRequest)
  service_plan?: ToOneRelationshipRequest;
}

export class ServiceInstanceCreateRequest {
  @ApiProperty({ enum: ['user-provided', 'managed'] })
  @IsIn(['user-provided', 'managed'])
  type!: 'user-provided' | 'managed';

  @ApiProperty()
  @IsString()
  @MaxLength(255)
  name!: string;

  @ApiPropertyOptional({ description: 'Any JSON object (user-provided)' })
  @IsOptional()
  @IsObject()
  credentials?: Record<string, unknown>;

  @ApiPropertyOptional({
    description: "Parameters for the broker (managed), checked against the plan's schema",
  })
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  tags?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  syslog_drain_url?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  route_service_url?: string;

  @ApiProperty({ type: InstanceRelationships })
  @ValidateNested()
  @Type(() => InstanceRelationships)
  relationships!: InstanceRelationships;
}

/** The same fields, every one optional; type and space cannot change, a managed plan can. */
export class ServiceInstanceUpdateRequest extends PartialType(
  OmitType(ServiceInstanceCreateRequest, ['type', 'relationships'] as const),
) {
  @ApiPropertyOptional({ type: PlanRelationship })
  @IsOptional()
  @ValidateNested()
  @Type(() => PlanRelationship)
  relationships?: PlanRelationship;
}

class BindingRelationships {
  @ApiProperty({ type: ToOneRelationshipRequest })
  @ValidateNested()
  @Type(() => ToOneRelationshipRequest)
  service_instance!: ToOneRelationshipRequest;

  @ApiPropertyOptional({ type: ToOneRelationshipRequest })
  @IsOptional()
  @ValidateNested()
  @Type(() => ToOneRelationshipRequest)
  app?: ToOneRelationshipRequest;
}

export class CredentialBindingCreateRequest {
  @ApiProperty({ enum: ['app', 'key'] })
  @IsIn(['app', 'key'])
  type!: 'app' | 'key';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(255)
  name?: string;

  @ApiPropertyOptional({
    description: "Parameters for the broker, checked against the plan's schema",
  })
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;

  @ApiProperty({ type: BindingRelationships })
  @ValidateNested()
  @Type(() => BindingRelationships)
  relationships!: BindingRelationships;
}
