/** One binding as an app sees it, before it is grouped by label. */
export interface BoundService {
  label: string;
  bindingGuid: string;
  bindingName: string | null;
  instanceGuid: string;
  instanceName: string;
  plan: string | null;
  provider: string | null;
  tags: string[];
  credentials: Record<string, unknown>;
  syslogDrainUrl: string | null;
}

export type VcapServices = Record<string, Record<string, unknown>[]>;

/**
 * VCAP_SERVICES in Cloud Foundry's shape: keyed by the offering's label (`user-provided` for
 * user-provided instances), each binding with its name (the binding's name, else the instance's),
 * guids, credentials, tags and plan. Bindings keep the order given (oldest first).
 */
export function buildVcapServices(bound: BoundService[]): VcapServices {
  const out: VcapServices = {};
  for (const b of bound) {
    (out[b.label] ??= []).push({
      label: b.label,
      provider: b.provider,
      plan: b.plan,
      name: b.bindingName ?? b.instanceName,
      tags: b.tags,
      instance_guid: b.instanceGuid,
      instance_name: b.instanceName,
      binding_guid: b.bindingGuid,
      binding_name: b.bindingName,
      credentials: b.credentials,
      syslog_drain_url: b.syslogDrainUrl,
      volume_mounts: [],
    });
  }
  return out;
}

/** DATABASE_URL: the `uri` of the first binding (oldest) whose credentials have one. */
export function databaseUrlOf(bound: BoundService[]): string | null {
  for (const b of bound) {
    const uri = b.credentials.uri;
    if (typeof uri === 'string' && uri !== '') return uri;
  }
  return null;
}
