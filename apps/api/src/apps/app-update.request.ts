import { OmitType, PartialType } from '@nestjs/swagger';
import { AppCreateRequest } from './app-create.request';

/** Name, lifecycle and metadata; variables have their own endpoint and apps never change space. */
export class AppUpdateRequest extends PartialType(
  OmitType(AppCreateRequest, ['relationships', 'environment_variables'] as const),
  { skipNullProperties: false },
) {}
