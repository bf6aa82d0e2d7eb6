import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { QuotaLimits } from '@wharf/identity';
import { IsOptionalNonNull } from '../common/is-optional-non-null.decorator';
import { ToOneRelationshipRequest } from '../common/relationship.request';

/** A limit: a whole number ≥ 0, or null for unlimited; absent keeps the current value. */
const Limit = (): PropertyDecorator => (target, key) => {
  ApiPropertyOptional({ type: Number, nullable: true })(target, key);
  ValidateIf((_o, v) => v !== undefined && v !== null)(target, key);
  IsInt()(target, key);
  Min(0)(target, key);
};

class AppsLimitsRequest {
  @Limit() total_memory_in_mb?: number | null;
  @Limit() per_process_memory_in_mb?: number | null;
  @Limit() total_instances?: number | null;
  @Limit() per_app_tasks?: number | null;
  @Limit() log_rate_limit_in_bytes_per_second?: number | null;
}

class ServicesLimitsRequest {
  @ApiPropertyOptional()
  @IsOptionalNonNull()
  @IsBoolean()
  paid_services_allowed?: boolean;

  @Limit() total_service_instances?: number | null;
  @Limit() total_service_keys?: number | null;
}

class RoutesLimitsRequest {
  @Limit() total_routes?: number | null;
  @Limit() total_reserved_ports?: number | null;
}

class DomainsLimitsRequest {
  @Limit() total_domains?: number | null;
}

class GuidReference {
  @ApiProperty()
  @IsUUID()
  guid!: string;
}

/** CF's to-many relationship in request bodies: `{"data": [{"guid": "..."}]}`. */
export class ToManyRelationshipRequest {
  @ApiProperty({ type: [GuidReference] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => GuidReference)
  data!: GuidReference[];
}

/** The limits part of a quota request, shared by organization and space quotas. */
export class QuotaLimitsRequest {
  @ApiPropertyOptional({ type: AppsLimitsRequest })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => AppsLimitsRequest)
  apps?: AppsLimitsRequest;

  @ApiPropertyOptional({ type: ServicesLimitsRequest })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => ServicesLimitsRequest)
  services?: ServicesLimitsRequest;

  @ApiPropertyOptional({ type: RoutesLimitsRequest })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => RoutesLimitsRequest)
  routes?: RoutesLimitsRequest;
}

export class OrganizationQuotaUpdateRequest extends QuotaLimitsRequest {
  @ApiPropertyOptional({ example: 'small' })
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 250)
  name?: string;

  @ApiPropertyOptional({ type: DomainsLimitsRequest })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => DomainsLimitsRequest)
  domains?: DomainsLimitsRequest;
}

class OrganizationQuotaRelationships {
  @ApiPropertyOptional({ type: ToManyRelationshipRequest })
  @IsOptional()
  @ValidateNested()
  @Type(() => ToManyRelationshipRequest)
  organizations?: ToManyRelationshipRequest;
}

export class OrganizationQuotaCreateRequest extends OrganizationQuotaUpdateRequest {
  @ApiProperty({ example: 'small' })
  @IsString()
  @Length(1, 250)
  declare name: string;

  @ApiPropertyOptional({ type: OrganizationQuotaRelationships })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => OrganizationQuotaRelationships)
  relationships?: OrganizationQuotaRelationships;
}

export class SpaceQuotaUpdateRequest extends QuotaLimitsRequest {
  @ApiPropertyOptional({ example: 'small' })
  @IsOptionalNonNull()
  @IsString()
  @Length(1, 250)
  name?: string;
}

class SpaceQuotaRelationships {
  @ApiProperty({ type: ToOneRelationshipRequest })
  @ValidateNested()
  @Type(() => ToOneRelationshipRequest)
  organization!: ToOneRelationshipRequest;

  @ApiPropertyOptional({ type: ToManyRelationshipRequest })
  @IsOptional()
  @ValidateNested()
  @Type(() => ToManyRelationshipRequest)
  spaces?: ToManyRelationshipRequest;
}

export class SpaceQuotaCreateRequest extends SpaceQuotaUpdateRequest {
  @ApiProperty({ example: 'small' })
  @IsString()
  @Length(1, 250)
  declare name: string;

  @ApiProperty({ type: SpaceQuotaRelationships })
  @ValidateNested()
  @Type(() => SpaceQuotaRelationships)
  relationships!: SpaceQuotaRelationships;
}

/** The limits a request names, in the domain's terms (absent ones are left out). */
export function limitsOf(body: QuotaLimitsRequest): Partial<QuotaLimits> {
  const out: Partial<QuotaLimits> = {
    totalMemoryInMb: body.apps?.total_memory_in_mb,
    perProcessMemoryInMb: body.apps?.per_process_memory_in_mb,
    totalInstances: body.apps?.total_instances,
    perAppTasks: body.apps?.per_app_tasks,
    logRateLimitInBytesPerSecond: body.apps?.log_rate_limit_in_bytes_per_second,
    paidServicesAllowed: body.services?.paid_services_allowed,
    totalServiceInstances: body.services?.total_service_instances,
    totalServiceKeys: body.services?.total_service_keys,
    totalRoutes: body.routes?.total_routes,
    totalReservedPorts: body.routes?.total_reserved_ports,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}
