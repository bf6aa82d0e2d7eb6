import { PartialType } from '@nestjs/swagger';
import { OrganizationCreateRequest } from './organization-create.request';

/** The same fields as creation, all optional. */
export class OrganizationUpdateRequest extends PartialType(OrganizationCreateRequest, {
  skipNullProperties: false,
}) {}
