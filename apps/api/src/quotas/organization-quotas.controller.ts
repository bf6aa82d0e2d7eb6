import { Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { OrganizationQuotaResource } from '@wharf/contracts';
import { OrganizationQuotaScope, OrganizationQuotaTypes } from '@wharf/identity';
import { OrganizationQuotaCreateRequest, OrganizationQuotaUpdateRequest } from './quota.request';
import { quotasController } from './quotas.controller';

/** /v3/organization_quotas: platform-wide, applied to organizations, changed by admins. */
@ApiTags('organization_quotas')
@ApiBearerAuth()
@Controller('v3/organization_quotas')
export class OrganizationQuotasController extends quotasController<
  OrganizationQuotaTypes,
  OrganizationQuotaResource,
  OrganizationQuotaCreateRequest,
  OrganizationQuotaUpdateRequest
>({
  kind: 'organization_quota',
  scope: OrganizationQuotaScope,
  noun: 'Organization quota',
  one: 'an organization quota',
  changedBy: 'admin',
  filters: ['names', 'guids', 'organization_guids'],
  filter: (f) => ({ names: f.names, guids: f.guids, organizationGuids: f.organization_guids }),
  createRequest: OrganizationQuotaCreateRequest,
  created: (body) => ({
    appliedTo: body.relationships?.organizations?.data.map((d) => d.guid),
    options: { totalDomains: body.domains?.total_domains },
  }),
  updateRequest: OrganizationQuotaUpdateRequest,
  updated: (body) => ({ totalDomains: body.domains?.total_domains }),
  target: 'organization',
  applySummary: 'Apply an organization quota to organizations (admin)',
  present: (presenter, quota, organizationGuids) =>
    presenter.organizationQuota(quota, organizationGuids),
}) {}
