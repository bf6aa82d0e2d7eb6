/** CF v3 JSON shapes shared by the API's presenters and the wharf CLI. */

export interface Link {
  href: string;
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  meta?: Record<string, string>;
}

export interface Metadata {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ToOneRelationship {
  data: { guid: string } | null;
}

export interface Resource {
  guid: string;
  created_at: string;
  updated_at: string;
  links: Record<string, Link>;
}

export interface Pagination {
  total_results: number;
  total_pages: number;
  first: Link;
  last: Link;
  next: Link | null;
  previous: Link | null;
}

export interface ListResponse<T> {
  pagination: Pagination;
  resources: T[];
  included?: Record<string, unknown[]>;
}

export interface CfError {
  code: number;
  title: string;
  detail: string;
}

export interface ErrorResponse {
  errors: CfError[];
}

export interface OrganizationResource extends Resource {
  name: string;
  suspended: boolean;
  relationships: { quota: ToOneRelationship };
  metadata: Metadata;
}

export interface SpaceResource extends Resource {
  name: string;
  relationships: { organization: ToOneRelationship; quota: ToOneRelationship };
  metadata: Metadata;
}

export interface ToManyRelationship {
  data: { guid: string }[];
}

/** Limits shared by organization and space quotas; null is unlimited. */
export interface QuotaAppsLimits {
  total_memory_in_mb: number | null;
  per_process_memory_in_mb: number | null;
  total_instances: number | null;
  per_app_tasks: number | null;
  log_rate_limit_in_bytes_per_second: number | null;
}

export interface QuotaServicesLimits {
  paid_services_allowed: boolean;
  total_service_instances: number | null;
  total_service_keys: number | null;
}

export interface QuotaRoutesLimits {
  total_routes: number | null;
  total_reserved_ports: number | null;
}

export interface OrganizationQuotaResource extends Resource {
  name: string;
  apps: QuotaAppsLimits;
  services: QuotaServicesLimits;
  routes: QuotaRoutesLimits;
  domains: { total_domains: number | null };
  relationships: { organizations: ToManyRelationship };
}

export interface SpaceQuotaResource extends Resource {
  name: string;
  apps: QuotaAppsLimits;
  services: QuotaServicesLimits;
  routes: QuotaRoutesLimits;
  relationships: { organization: ToOneRelationship; spaces: ToManyRelationship };
}

export interface UserResource extends Resource {
  username: string;
  presentation_name: string;
  origin: string;
  metadata: Metadata;
}

export interface RoleResource extends Resource {
  type: string;
  relationships: {
    user: ToOneRelationship;
    organization: ToOneRelationship;
    space: ToOneRelationship;
  };
}

export type JobState = 'PROCESSING' | 'POLLING' | 'COMPLETE' | 'FAILED';

export interface JobResource extends Resource {
  operation: string;
  state: JobState;
  errors: CfError[];
  warnings: { detail: string }[];
}

/** UAA's token endpoint answer (password and refresh_token grants). */
export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  refresh_token: string;
  expires_in: number;
  scope: string;
  jti: string;
}

/** UAA's OAuth error shape, e.g. {"error":"unauthorized","error_description":"Bad credentials"}. */
export interface OAuthErrorResponse {
  error: string;
  error_description: string;
  /** Only on 429 (a throttled login): CF's error for it. */
  errors?: CfError[];
}

export interface RootResponse {
  links: Record<string, Link | null>;
}

type Links = Record<string, Link>;

export type AppState = 'STOPPED' | 'STARTED';

export interface AppResource {
  guid: string;
  name: string;
  state: AppState;
  created_at: string;
  updated_at: string;
  lifecycle: {
    type: string;
    data: { buildpacks: string[]; stack: string } | Record<string, never>;
  };
  relationships: { space: { data: { guid: string } }; current_droplet?: ToOneRelationship };
  metadata: Metadata;
  links: Links;
}

export type PackageState =
  'AWAITING_UPLOAD' | 'PROCESSING_UPLOAD' | 'READY' | 'FAILED' | 'COPYING' | 'EXPIRED';

export interface PackageResource {
  guid: string;
  type: 'bits';
  data: { checksum: { type: 'sha256'; value: string | null }; error: string | null };
  state: PackageState;
  created_at: string;
  updated_at: string;
  relationships: { app: { data: { guid: string } } };
  metadata: Metadata;
  links: Links;
}

export type HealthCheckTypeName = 'port' | 'http' | 'process';

export interface ProcessResource {
  guid: string;
  type: string;
  /** The process's own command, else the current droplet's for its type; hidden in lists. */
  command: string | null;
  instances: number;
  memory_in_mb: number;
  disk_in_mb: number;
  health_check: {
    type: HealthCheckTypeName;
    data: {
      timeout: number | null;
      invocation_timeout: number | null;
      interval: number | null;
      endpoint?: string | null;
    };
  };
  relationships: { app: { data: { guid: string } }; revision: { data: { guid: string } | null } };
  metadata: Metadata;
  created_at: string;
  updated_at: string;
  links: Links;
}

/** An app revision (GET /v3/revisions/:guid): what a start or restart ran from. */
export interface RevisionResource {
  guid: string;
  version: number;
  droplet: { guid: string };
  /** Each process type's custom start command (null: the droplet's). */
  processes: Record<string, { command: string | null }>;
  sidecars: never[];
  description: string;
  /** Its droplet is still there, STAGED: a deployment can run it again. */
  deployable: boolean;
  relationships: { app: { data: { guid: string } } };
  metadata: Metadata;
  created_at: string;
  updated_at: string;
  links: Links;
}

/** /v3/deployments: a rollout of an app's droplet or revision (CF's deployment). */
export interface DeploymentResource {
  guid: string;
  status: {
    value: 'ACTIVE' | 'FINALIZED';
    reason: 'DEPLOYING' | 'PAUSED' | 'CANCELING' | 'DEPLOYED' | 'CANCELED' | 'SUPERSEDED';
    details: {
      last_successful_healthcheck: string | null;
      last_status_change: string;
      /** Why the platform canceled it. */
      error?: string;
    };
    canary?: { steps: { current: number; total: number } };
  };
  strategy: 'rolling' | 'canary';
  options: { max_in_flight: number };
  droplet: { guid: string };
  previous_droplet: { guid: string | null };
  new_processes: { guid: string; type: string }[];
  revision: { guid: string; version: number } | null;
  relationships: { app: { data: { guid: string } } };
  metadata: Metadata;
  created_at: string;
  updated_at: string;
  links: Links;
}

/** /v3/tasks: a one-off command run on an app's droplet (CF's task). */
export interface TaskResource {
  guid: string;
  sequence_id: number;
  name: string;
  /** Only for space developers, and never in lists (CF's). */
  command?: string;
  state: 'PENDING' | 'RUNNING' | 'CANCELING' | 'SUCCEEDED' | 'FAILED';
  memory_in_mb: number;
  disk_in_mb: number;
  log_rate_limit_in_bytes_per_second: number;
  result: { failure_reason: string | null };
  droplet_guid: string;
  relationships: { app: { data: { guid: string } } };
  metadata: Metadata;
  created_at: string;
  updated_at: string;
  links: Links;
}

/** GET /v3/revisions/:guid/environment_variables. */
export interface RevisionEnvironmentVariablesResource {
  var: Record<string, string>;
  links: Links;
}

/** One of GET /v3/apps/:guid/features. */
export interface AppFeatureResource {
  name: string;
  description: string;
  enabled: boolean;
}

export type InstanceState = 'STARTING' | 'RUNNING' | 'CRASHED' | 'STOPPING' | 'DOWN';

/** One entry of GET /v3/processes/:guid/stats (one per desired index, not paginated). */
export interface ProcessInstanceStats {
  type: string;
  index: number;
  instance_guid: string;
  state: InstanceState;
  routable: boolean;
  /**
   * cpu is a fraction (0.012 = 1.2 %); mem and disk in bytes; time ISO 8601. disk is null where
   * it is unknown: not measured yet, or the engine's storage driver cannot measure it.
   */
  usage: { time: string; cpu: number; mem: number; disk: number | null } | Record<string, never>;
  /** The cell's address: with `instance_ports[].external`, where the router reaches it. */
  host: string;
  /** The instance's address on the apps network: other apps reach it there on `internal`. */
  instance_internal_ip: string | null;
  instance_ports: { external: number; internal: number }[];
  /** Seconds since the instance started. */
  uptime: number;
  mem_quota: number;
  disk_quota: number;
  fds_quota: number;
  /** Why the instance is down or crashed, e.g. "Start app timeout" or "APP/PROC/WEB: Exited". */
  details: string | null;
  /** The cell the instance is placed on (Wharf addition). */
  cell?: string;
  /** ISO 8601 since when the instance is in its state (Wharf addition). */
  since?: string;
  /**
   * The droplet the instance runs (Wharf addition; CF keeps one LRP per process version): lets a
   * client that pushed a droplet wait for its instances, never counting an older one.
   */
  droplet_guid?: string;
}

export interface ProcessStatsResponse {
  resources: ProcessInstanceStats[];
}

export type BuildState = 'STAGING' | 'STAGED' | 'FAILED';

export interface BuildResource {
  guid: string;
  state: BuildState;
  /** E.g. "NoAppDetectedError - None of the buildpacks detected a compatible application". */
  error: string | null;
  staging_memory_in_mb: number;
  staging_disk_in_mb: number;
  lifecycle: { type: 'buildpack'; data: { buildpacks: string[]; stack: string } };
  package: { guid: string };
  droplet: { guid: string } | null;
  created_by: { guid: string; name: string; email: string };
  relationships: { app: { data: { guid: string } } };
  metadata: Metadata;
  created_at: string;
  updated_at: string;
  links: Links;
}

export type DropletState =
  'AWAITING_UPLOAD' | 'PROCESSING_UPLOAD' | 'STAGED' | 'COPYING' | 'FAILED' | 'EXPIRED';

export interface DropletResource {
  guid: string;
  state: DropletState;
  error: string | null;
  lifecycle: { type: 'buildpack'; data: Record<string, never> };
  execution_metadata: string;
  process_types: Record<string, string>;
  checksum: { type: 'sha256'; value: string } | null;
  buildpacks: {
    name: string;
    detect_output: string | null;
    version: string | null;
    buildpack_name: string | null;
  }[];
  stack: string;
  /** The image instances run from (Wharf: a local image built FROM wharf/stack-run). */
  image: string | null;
  relationships: { app: { data: { guid: string } } };
  metadata: Metadata;
  created_at: string;
  updated_at: string;
  links: Links;
}

export interface AuditEventResource {
  guid: string;
  created_at: string;
  updated_at: string;
  /** E.g. audit.app.create, audit.app.start, audit.app.droplet.mapped, app.crash. */
  type: string;
  actor: { guid: string; type: 'user' | 'process' | 'system'; name: string };
  target: { guid: string; type: string; name: string };
  data: Record<string, unknown>;
  space: { guid: string } | null;
  organization: { guid: string } | null;
  links: Links;
}

/** Log Cache's envelope (GET /api/v1/read/:source_id), as the cf CLI reads it. */
export interface LogEnvelope {
  /** Nanoseconds since the epoch, as a decimal string. */
  timestamp: string;
  source_id: string;
  instance_id: string;
  tags: { source_type: string } & Record<string, string>;
  /** payload is base64. */
  log: { payload: string; type: 'OUT' | 'ERR' };
}

export interface LogCacheReadResponse {
  envelopes: { batch: LogEnvelope[] };
}

/** Routing: GET /v3/domains, /v3/routes and their destinations. */
export interface DestinationResource {
  guid: string;
  app: { guid: string; process: { type: string } };
  weight: null;
  port: number;
  protocol: 'http1';
}

export interface RouteResource {
  guid: string;
  protocol: 'http';
  port: null;
  host: string;
  path: string;
  url: string;
  created_at: string;
  updated_at: string;
  destinations: DestinationResource[];
  options: Record<string, never>;
  metadata: Metadata;
  relationships: { space: { data: { guid: string } }; domain: { data: { guid: string } } };
  links: Record<string, Link>;
}

export interface DomainResource {
  guid: string;
  created_at: string;
  updated_at: string;
  name: string;
  internal: boolean;
  router_group: null;
  supported_protocols: ['http'];
  metadata: Metadata;
  relationships: {
    organization: { data: { guid: string } | null };
    shared_organizations: { data: never[] };
  };
  links: Record<string, Link>;
}

/** Services: GET /v3/service_instances and /v3/service_credential_bindings. */
export interface LastOperation {
  type: 'create' | 'update' | 'delete';
  state: 'initial' | 'in progress' | 'succeeded' | 'failed';
  description: string | null;
  created_at: string;
  updated_at: string;
}

export interface ServiceInstanceResource {
  guid: string;
  created_at: string;
  updated_at: string;
  name: string;
  tags: string[];
  type: 'user-provided' | 'managed';
  syslog_drain_url: string | null;
  route_service_url: string | null;
  last_operation: LastOperation;
  /** Managed instances only. */
  dashboard_url?: string | null;
  maintenance_info?: { version: string; description?: string } | Record<string, never>;
  upgrade_available?: boolean;
  relationships: {
    space: { data: { guid: string } };
    service_plan?: { data: { guid: string } };
  };
  metadata: Metadata;
  links: Record<string, Link>;
}

export interface ServiceBrokerResource {
  guid: string;
  created_at: string;
  updated_at: string;
  name: string;
  url: string;
  relationships: Record<string, never>;
  metadata: Metadata;
  links: Record<string, Link>;
}

export interface ServiceOfferingResource {
  guid: string;
  created_at: string;
  updated_at: string;
  name: string;
  description: string;
  available: boolean;
  tags: string[];
  requires: string[];
  shareable: boolean;
  documentation_url: string | null;
  broker_catalog: {
    id: string;
    metadata: Record<string, unknown>;
    features: {
      plan_updateable: boolean;
      bindable: boolean;
      instances_retrievable: boolean;
      bindings_retrievable: boolean;
      allow_context_updates: boolean;
    };
  };
  relationships: { service_broker: { data: { guid: string } } };
  metadata: Metadata;
  links: Record<string, Link>;
}

export interface ServicePlanResource {
  guid: string;
  created_at: string;
  updated_at: string;
  name: string;
  description: string;
  visibility_type: 'public' | 'admin' | 'organization';
  available: boolean;
  free: boolean;
  costs: unknown[];
  maintenance_info: { version: string; description?: string } | Record<string, never>;
  broker_catalog: {
    id: string;
    metadata: Record<string, unknown>;
    maximum_polling_duration: number | null;
    features: { plan_updateable: boolean; bindable: boolean };
  };
  schemas: {
    service_instance: { create: { parameters: object }; update: { parameters: object } };
    service_binding: { create: { parameters: object } };
  };
  relationships: { service_offering: { data: { guid: string } } };
  metadata: Metadata;
  links: Record<string, Link>;
}

export interface ServicePlanVisibilityResource {
  type: 'public' | 'admin' | 'organization';
  organizations?: { guid: string; name: string }[];
}

export interface CredentialBindingResource {
  guid: string;
  created_at: string;
  updated_at: string;
  name: string | null;
  type: 'app' | 'key';
  last_operation: LastOperation;
  relationships: {
    app?: { data: { guid: string } };
    service_instance: { data: { guid: string } };
  };
  metadata: Metadata;
  links: Record<string, Link>;
}
