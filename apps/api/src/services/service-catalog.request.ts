import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';

class BasicCredentials {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  username!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  password!: string;
}

class BrokerAuthentication {
  @ApiProperty({ enum: ['basic'] })
  @IsIn(['basic'])
  type!: 'basic';

  @ApiProperty({ type: BasicCredentials })
  @ValidateNested()
  @Type(() => BasicCredentials)
  credentials!: BasicCredentials;
}

export class ServiceBrokerCreateRequest {
  @ApiProperty()
  @IsString()
  @MaxLength(255)
  name!: string;

  @ApiProperty()
  @IsString()
  url!: string;

  @ApiProperty({ type: BrokerAuthentication })
  @ValidateNested()
  @Type(() => BrokerAuthentication)
  authentication!: BrokerAuthentication;
}

export class ServiceBrokerUpdateRequest {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(255)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  url?: string;

  @ApiPropertyOptional({ type: BrokerAuthentication })
  @IsOptional()
  @ValidateNested()
  @Type(() => BrokerAuthentication)
  authentication?: BrokerAuthentication;
}

class OrganizationReference {
  @ApiProperty()
  @IsUUID()
  guid!: string;
}

export class PlanVisibilityRequest {
  @ApiProperty({ enum: ['public', 'admin', 'organization'] })
  @IsIn(['public', 'admin', 'organization'])
  type!: 'public' | 'admin' | 'organization';

  @ApiPropertyOptional({ type: [OrganizationReference] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => OrganizationReference)
  organizations?: OrganizationReference[];
}
