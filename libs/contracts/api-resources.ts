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

export interface UserResource extends Resource {
  username: string;
  presentation_name: string;
  origin: string;
  metadata: Metadata;
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
}

export interface RootResponse {
  links: Record<string, Link | null>;
}
