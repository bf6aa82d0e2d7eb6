import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { DEPLOYMENT_STRATEGIES, DeploymentStrategy } from '@wharf/apps';
import { IsOptionalNonNull } from '../common/is-optional-non-null.decorator';
import { MetadataRequest } from '../common/metadata.request';
import { ToOneRelationshipRequest } from '../common/relationship.request';

class GuidReference {
  @ApiProperty()
  @IsUUID()
  guid!: string;
}

class DeploymentRelationships {
  @ApiProperty({ type: ToOneRelationshipRequest })
  @ValidateNested()
  @Type(() => ToOneRelationshipRequest)
  app!: ToOneRelationshipRequest;
}

class DeploymentOptions {
  @ApiPropertyOptional({ description: 'New instances started at once (default 1)' })
  @IsOptionalNonNull()
  @IsInt({ message: 'Max in flight must be an integer greater than 0' })
  @Min(1, { message: 'Max in flight must be an integer greater than 0' })
  @Max(10000, { message: 'Max in flight must be at most 10000' })
  max_in_flight?: number;
}

/** POST /v3/deployments: CF's body (droplet or revision, strategy, options, metadata). */
export class DeploymentCreateRequest {
  @ApiProperty({ type: DeploymentRelationships })
  @ValidateNested()
  @Type(() => DeploymentRelationships)
  relationships!: DeploymentRelationships;

  @ApiPropertyOptional({ type: GuidReference, description: "Default: the app's current droplet" })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => GuidReference)
  droplet?: GuidReference;

  @ApiPropertyOptional({ type: GuidReference, description: 'A rollback to this revision' })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => GuidReference)
  revision?: GuidReference;

  @ApiPropertyOptional({ enum: DEPLOYMENT_STRATEGIES, default: 'rolling' })
  @IsOptionalNonNull()
  @IsIn(DEPLOYMENT_STRATEGIES, { message: "Strategy must be one of 'rolling', 'canary'" })
  strategy?: DeploymentStrategy;

  @ApiPropertyOptional({ type: DeploymentOptions })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => DeploymentOptions)
  options?: DeploymentOptions;

  @ApiPropertyOptional({ type: MetadataRequest })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => MetadataRequest)
  metadata?: MetadataRequest;
}

/** PATCH /v3/deployments/:guid: metadata only. */
export class DeploymentUpdateRequest {
  @ApiPropertyOptional({ type: MetadataRequest })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => MetadataRequest)
  metadata?: MetadataRequest;
}
