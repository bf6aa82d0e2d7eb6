import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsObject,
  IsString,
  Length,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { MetadataRequest } from '../common/metadata.request';
import { ToOneRelationshipRequest } from '../common/relationship.request';
import { IsOptionalNonNull } from '../common/is-optional-non-null.decorator';

class AppRelationships {
  @ApiProperty({ type: ToOneRelationshipRequest })
  @ValidateNested()
  @Type(() => ToOneRelationshipRequest)
  space!: ToOneRelationshipRequest;
}

class LifecycleData {
  @ApiPropertyOptional({ type: [String], example: ['nodejs_buildpack'] })
  @IsOptionalNonNull()
  @IsArray()
  @IsString({ each: true })
  buildpacks?: string[];

  @ApiPropertyOptional({ example: 'bookworm' })
  @IsOptionalNonNull()
  @IsString()
  stack?: string;
}

export class LifecycleRequest {
  @ApiProperty({ enum: ['buildpack', 'docker'] })
  @IsIn(['buildpack', 'docker'])
  type!: 'buildpack' | 'docker';

  @ApiPropertyOptional({ type: LifecycleData })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => LifecycleData)
  data?: LifecycleData;
}

export class AppCreateRequest {
  @ApiProperty({ example: 'my-app' })
  @IsString()
  @Length(1, 255)
  name!: string;

  @ApiProperty({ type: AppRelationships })
  @ValidateNested()
  @Type(() => AppRelationships)
  relationships!: AppRelationships;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptionalNonNull()
  @IsObject()
  @ValidateBy({
    name: 'stringValues',
    validator: {
      validate: (v: unknown) =>
        typeof v === 'object' && v !== null && Object.values(v).every((x) => typeof x === 'string'),
      defaultMessage: () => 'environment_variables values must be strings',
    },
  })
  environment_variables?: Record<string, string>;

  @ApiPropertyOptional({ type: LifecycleRequest })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => LifecycleRequest)
  lifecycle?: LifecycleRequest;

  @ApiPropertyOptional({ type: MetadataRequest })
  @IsOptionalNonNull()
  @ValidateNested()
  @Type(() => MetadataRequest)
  metadata?: MetadataRequest;
}
