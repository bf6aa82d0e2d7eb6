/** What VCAP_APPLICATION is built from; the instance fields exist only for running processes. */
export interface VcapApplicationInput {
  app: { guid: string; name: string };
  space: { guid: string; name: string };
  organization: { guid: string; name: string };
  cfApi: string;
  uris: string[];
  process?: { guid: string; type: string; memoryMb: number; diskMb: number; version: string };
}

export interface VcapApplication {
  application_id: string;
  application_name: string;
  application_uris: string[];
  application_version?: string;
  cf_api: string;
  limits: { fds: number; mem?: number; disk?: number };
  name: string;
  organization_id: string;
  organization_name: string;
  process_id?: string;
  process_type?: string;
  space_id: string;
  space_name: string;
  uris: string[];
  users: null;
  version?: string;
}

/** The file-descriptor limit each instance gets (CF's default). */
export const INSTANCE_FDS = 16384;

/** CF's VCAP_APPLICATION, field for field, so apps written for Cloud Foundry read it unchanged. */
export function buildVcapApplication(input: VcapApplicationInput): VcapApplication {
  const base: VcapApplication = {
    application_id: input.app.guid,
    application_name: input.app.name,
    application_uris: input.uris,
    cf_api: input.cfApi,
    limits: { fds: INSTANCE_FDS },
    name: input.app.name,
    organization_id: input.organization.guid,
    organization_name: input.organization.name,
    space_id: input.space.guid,
    space_name: input.space.name,
    uris: input.uris,
    users: null,
  };
  const p = input.process;
  if (!p) return base;
  return {
    ...base,
    application_version: p.version,
    version: p.version,
    limits: { fds: INSTANCE_FDS, mem: p.memoryMb, disk: p.diskMb },
    process_id: p.guid,
    process_type: p.type,
  };
}
