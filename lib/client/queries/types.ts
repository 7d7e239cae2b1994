import type { FlagValue } from "@/lib/validations/common";

// Shapes of the API answers (docs/api.md). JSON is snake_case, ids are numbers, times ISO strings.

export type { FlagValue };

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export type OrganisationRole = "ADMIN" | "MEMBER";
export type ProjectRole = "ADMIN" | "EDITOR" | "VIEWER";

export interface Organisation {
  id: number;
  name: string;
  role: OrganisationRole;
}

export interface Me {
  id?: number;
  email?: string;
  name?: string;
  api_key?: { id: number; name: string };
  organisations: Organisation[];
  projects: { id: number; name: string; organisation: number; role: ProjectRole }[];
}

export interface Project {
  id: number;
  name: string;
  organisation: number;
  stale_flag_threshold_days: number;
  created_at: string;
}

export interface Environment {
  id: number;
  name: string;
  api_key: string;
  project: number;
  created_at: string;
}

export interface EnvironmentState {
  id: number;
  enabled: boolean;
  feature_state_value: FlagValue;
  updated_at: string;
}

export interface Feature {
  id: number;
  name: string;
  description: string;
  default_enabled: boolean;
  initial_value: FlagValue;
  tags: number[];
  project: number;
  created_at: string;
  updated_at: string;
  is_archived: boolean;
  is_permanent: boolean;
  num_segment_overrides: number;
  /** GitLab issues and merge requests linked to the feature. */
  linked_items_count: number;
  /** Its linked work is done and its state settled (the stale-flag view lists it). */
  stale: boolean;
  /** Its cleanup issues are all closed: the code is gone, archive the flag. */
  ready_to_delete: boolean;
  environment_state?: EnvironmentState | null;
}

export interface FeatureState {
  id: number;
  feature: number;
  environment: number;
  enabled: boolean;
  feature_state_value: FlagValue;
  updated_at: string;
}

export interface Segment {
  id: number;
  name: string;
  description: string;
  rules: unknown[];
  project: number;
  created_at: string;
  updated_at: string;
}

export interface SegmentOverride {
  id: number;
  feature: number;
  environment: number;
  segment: { id: number; name: string };
  priority: number;
  enabled: boolean;
  feature_state_value: FlagValue;
  updated_at: string;
}

export interface Tag {
  id: number;
  label: string;
  color: string;
  description: string;
  type: "NONE" | "GITLAB" | (string & {});
  is_system_tag: boolean;
}

export interface AuditEntry {
  id: number;
  created_at: string;
  actor: string | { label?: string; email?: string; name?: string } | null;
  action: "CREATE" | "UPDATE" | "DELETE";
  entity_type: string;
  entity_id: string | number;
  summary: string;
  changes: Record<string, { from: unknown; to: unknown }> | null;
  project: number | null;
  environment: number | null;
  feature: number | null;
}

export interface ProjectMember {
  user: { id: number; email: string; name: string };
  role: ProjectRole;
  created_at: string;
}

export interface OrganisationUser {
  id: number;
  email: string;
  name: string;
  role: OrganisationRole;
  created_at: string;
}

export interface ApiKey {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface CreatedApiKey extends ApiKey {
  /** The whole key: only in the creation answer, never again. */
  key: string;
}
