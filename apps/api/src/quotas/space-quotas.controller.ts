import { Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { SpaceQuotaResource } from '@wharf/contracts';
import { SpaceQuotaScope, SpaceQuotaTypes } from '@wharf/identity';
import { SpaceQuotaCreateRequest, SpaceQuotaUpdateRequest } from './quota.request';
import { quotasController } from './quotas.controller';

/** /v3/space_quotas: an organization's, applied to some of its spaces and removable from one. */
@ApiTags('space_quotas')
@ApiBearerAuth()
@Controller('v3/space_quotas')
export class SpaceQuotasController extends quotasController<
  SpaceQuotaTypes,
  SpaceQuotaResource,
  SpaceQuotaCreateRequest,
  SpaceQuotaUpdateRequest
>({
  kind: 'space_quota',
  scope: SpaceQuotaScope,
  noun: 'Space quota',
  one: 'a space quota',
  changedBy: 'admin or organization manager',
  filters: ['names', 'guids', 'organization_guids', 'space_guids'],
  filter: (f) => ({
    names: f.names,
    guids: f.guids,
    organizationGuids: f.organization_guids,
    spaceGuids: f.space_guids,
  }),
  createRequest: SpaceQuotaCreateRequest,
  created: (body) => ({
    appliedTo: body.relationships.spaces?.data.map((d) => d.guid),
    options: { organizationGuid: body.relationships.organization.data.guid },
  }),
  updateRequest: SpaceQuotaUpdateRequest,
  updated: () => ({}),
  target: 'space',
  applySummary: 'Apply a space quota to spaces of its organization',
  removeSummary: 'Remove a space quota from a space',
  present: (presenter, quota, spaceGuids) => presenter.spaceQuota(quota, spaceGuids),
}) {}
