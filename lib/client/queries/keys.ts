// The one query-key factory. Keys are hierarchical so a mutation can invalidate exactly the
// family it touched: `queryKeys.features.lists(projectId)` is a prefix of every
// `queryKeys.features.list(projectId, filters)`, and `queryKeys.features.all(projectId)` of both
// lists and details.

export interface ListFilters {
  page?: number;
  page_size?: number;
  search?: string;
}

export interface FeatureListFilters extends ListFilters {
  /** Environment id: adds each feature's `environment_state`. */
  environment?: number;
  tags?: number[];
  /** true: archived features only. */
  archived?: boolean;
}

export interface AuditLogListFilters extends ListFilters {
  environment?: number;
  feature?: number;
}

export interface SegmentOverrideListFilters {
  environment?: number;
}

export interface GitLabItemFilters {
  gitlab_project_id?: number;
  gitlab_project_path?: string;
  search_text?: string;
  state?: string;
}

export interface GitLabMemberFilters {
  gitlab_project_id?: number;
  search?: string;
}

export interface FeatureStateListFilters {
  feature?: number;
}

export const queryKeys = {
  setup: () => ["setup"] as const,
  me: () => ["me"] as const,

  organisations: {
    all: () => ["organisations"] as const,
    users: (organisationId: number, filters: ListFilters) =>
      ["organisations", organisationId, "users", filters] as const,
    usersAll: (organisationId: number) => ["organisations", organisationId, "users"] as const,
    apiKeys: (organisationId: number, filters: ListFilters) =>
      ["organisations", organisationId, "api-keys", filters] as const,
    apiKeysAll: (organisationId: number) => ["organisations", organisationId, "api-keys"] as const,
  },

  projects: {
    all: () => ["projects"] as const,
    lists: () => ["projects", "list"] as const,
    list: (filters: ListFilters) => ["projects", "list", filters] as const,
    detail: (projectId: number) => ["projects", "detail", projectId] as const,
  },

  members: {
    lists: (projectId: number) => ["members", projectId] as const,
    list: (projectId: number, filters: ListFilters) => ["members", projectId, filters] as const,
  },

  environments: {
    all: () => ["environments"] as const,
    lists: (projectId: number) => ["environments", "list", projectId] as const,
    list: (projectId: number, filters: ListFilters) => ["environments", "list", projectId, filters] as const,
    detail: (apiKey: string) => ["environments", "detail", apiKey] as const,
    serverKeys: (apiKey: string) => ["environments", "server-keys", apiKey] as const,
  },

  features: {
    all: (projectId: number) => ["features", projectId] as const,
    lists: (projectId: number) => ["features", projectId, "list"] as const,
    list: (projectId: number, filters: FeatureListFilters) =>
      ["features", projectId, "list", filters] as const,
    detail: (projectId: number, featureId: number) => ["features", projectId, "detail", featureId] as const,
  },

  featureStates: {
    all: () => ["feature-states"] as const,
    byEnvironment: (apiKey: string) => ["feature-states", apiKey] as const,
    list: (apiKey: string, filters: FeatureStateListFilters) => ["feature-states", apiKey, filters] as const,
  },

  segments: {
    lists: (projectId: number) => ["segments", projectId] as const,
    list: (projectId: number, filters: ListFilters) => ["segments", projectId, filters] as const,
  },

  segmentOverrides: {
    all: (projectId: number) => ["segment-overrides", projectId] as const,
    lists: (projectId: number, featureId: number) => ["segment-overrides", projectId, featureId] as const,
    list: (projectId: number, featureId: number, filters: SegmentOverrideListFilters) =>
      ["segment-overrides", projectId, featureId, filters] as const,
  },

  tags: {
    list: (projectId: number) => ["tags", projectId] as const,
  },

  gitlab: {
    integration: (projectId: number) => ["gitlab", projectId, "integration"] as const,
    webhookDeliveries: (projectId: number, integrationId: number) =>
      ["gitlab", projectId, "webhook-deliveries", integrationId] as const,
    jobs: (projectId: number, integrationId: number) => ["gitlab", projectId, "jobs", integrationId] as const,
    projectLists: (projectId: number) => ["gitlab", projectId, "projects"] as const,
    projects: (projectId: number, filters: ListFilters) =>
      ["gitlab", projectId, "projects", filters] as const,
    items: (projectId: number, kind: "issues" | "merge-requests", filters: GitLabItemFilters) =>
      ["gitlab", projectId, kind, filters] as const,
    members: (projectId: number, filters: GitLabMemberFilters) =>
      ["gitlab", projectId, "members", filters] as const,
    cleanupPreview: (projectId: number, featureId: number) =>
      ["gitlab", projectId, "cleanup-preview", featureId] as const,
  },

  staleFlags: {
    lists: (projectId: number) => ["stale-flags", projectId] as const,
    list: (projectId: number, filters: ListFilters) => ["stale-flags", projectId, filters] as const,
  },

  featureLinks: {
    list: (projectId: number, featureId: number) => ["feature-links", projectId, featureId] as const,
  },

  auditLog: {
    lists: (projectId: number) => ["audit-log", projectId] as const,
    list: (projectId: number, filters: AuditLogListFilters) => ["audit-log", projectId, filters] as const,
  },

  /** Per environment (api_key): identities, and under one identity its traits, overrides and flags. */
  identities: {
    all: (apiKey: string) => ["identities", apiKey] as const,
    lists: (apiKey: string) => ["identities", apiKey, "list"] as const,
    list: (apiKey: string, filters: ListFilters) => ["identities", apiKey, "list", filters] as const,
    detail: (apiKey: string, identityId: number) => ["identities", apiKey, "detail", identityId] as const,
    traits: (apiKey: string, identityId: number) =>
      ["identities", apiKey, "detail", identityId, "traits"] as const,
    overrides: (apiKey: string, identityId: number) =>
      ["identities", apiKey, "detail", identityId, "overrides"] as const,
    evaluatedFlags: (apiKey: string, identityId: number) =>
      ["identities", apiKey, "detail", identityId, "evaluated-flags"] as const,
  },

  multivariateOptions: {
    list: (projectId: number, featureId: number) => ["mv-options", projectId, featureId] as const,
  },

  featureStateWeights: {
    all: () => ["feature-state-weights"] as const,
    detail: (apiKey: string, stateId: number) => ["feature-state-weights", apiKey, stateId] as const,
  },
};
