// API paths from docs/api.md, in one place (always with the trailing slash the spec documents).

const env = (apiKey: string) => `/api/v1/environments/${encodeURIComponent(apiKey)}/`;

export const paths = {
  setup: () => "/api/v1/setup/",
  me: () => "/api/v1/me/",
  organisationUsers: (organisationId: number) => `/api/v1/organisations/${organisationId}/users/`,
  organisationUser: (organisationId: number, userId: number) =>
    `/api/v1/organisations/${organisationId}/users/${userId}/`,
  apiKeys: (organisationId: number) => `/api/v1/organisations/${organisationId}/api-keys/`,
  apiKey: (organisationId: number, keyId: number) =>
    `/api/v1/organisations/${organisationId}/api-keys/${keyId}/`,
  projects: () => "/api/v1/projects/",
  project: (projectId: number) => `/api/v1/projects/${projectId}/`,
  members: (projectId: number) => `/api/v1/projects/${projectId}/members/`,
  member: (projectId: number, userId: number) => `/api/v1/projects/${projectId}/members/${userId}/`,
  environments: () => "/api/v1/environments/",
  environment: env,
  featureStates: (apiKey: string) => `${env(apiKey)}featurestates/`,
  featureState: (apiKey: string, stateId: number) => `${env(apiKey)}featurestates/${stateId}/`,
  features: (projectId: number) => `/api/v1/projects/${projectId}/features/`,
  feature: (projectId: number, featureId: number) => `/api/v1/projects/${projectId}/features/${featureId}/`,
  segmentOverrides: (projectId: number, featureId: number) =>
    `/api/v1/projects/${projectId}/features/${featureId}/segment-overrides/`,
  segmentOverride: (projectId: number, featureId: number, overrideId: number) =>
    `/api/v1/projects/${projectId}/features/${featureId}/segment-overrides/${overrideId}/`,
  segments: (projectId: number) => `/api/v1/projects/${projectId}/segments/`,
  segment: (projectId: number, segmentId: number) => `/api/v1/projects/${projectId}/segments/${segmentId}/`,
  tags: (projectId: number) => `/api/v1/projects/${projectId}/tags/`,
  tag: (projectId: number, tagId: number) => `/api/v1/projects/${projectId}/tags/${tagId}/`,
  auditLog: (projectId: number) => `/api/v1/projects/${projectId}/audit-log/`,
  gitlabIntegrations: (projectId: number) => `/api/v1/projects/${projectId}/integrations/gitlab/`,
  gitlabIntegration: (projectId: number, integrationId: number) =>
    `/api/v1/projects/${projectId}/integrations/gitlab/${integrationId}/`,
  gitlabWebhook: (projectId: number, integrationId: number) =>
    `/api/v1/projects/${projectId}/integrations/gitlab/${integrationId}/webhook/`,
  gitlabWebhookDeliveries: (projectId: number, integrationId: number) =>
    `/api/v1/projects/${projectId}/integrations/gitlab/${integrationId}/deliveries/`,
  gitlabJobs: (projectId: number, integrationId: number) =>
    `/api/v1/projects/${projectId}/integrations/gitlab/${integrationId}/jobs/`,
  gitlabJobRetry: (projectId: number, integrationId: number, jobId: number) =>
    `/api/v1/projects/${projectId}/integrations/gitlab/${integrationId}/jobs/${jobId}/retry/`,
  gitlabProjects: (projectId: number) => `/api/v1/projects/${projectId}/gitlab/projects/`,
  gitlabIssues: (projectId: number) => `/api/v1/projects/${projectId}/gitlab/issues/`,
  gitlabMergeRequests: (projectId: number) => `/api/v1/projects/${projectId}/gitlab/merge-requests/`,
  gitlabProjectMembers: (projectId: number) => `/api/v1/projects/${projectId}/gitlab/project-members/`,
  cleanupIssuePreview: (projectId: number) => `/api/v1/projects/${projectId}/gitlab/cleanup-issue-preview/`,
  createCleanupIssue: (projectId: number) => `/api/v1/projects/${projectId}/gitlab/create-cleanup-issue/`,
  staleFlags: (projectId: number) => `/api/v1/projects/${projectId}/stale-flags/`,
  featureLinks: (projectId: number, featureId: number) =>
    `/api/v1/projects/${projectId}/features/${featureId}/feature-external-resources/`,
  featureLink: (projectId: number, featureId: number, linkId: number) =>
    `/api/v1/projects/${projectId}/features/${featureId}/feature-external-resources/${linkId}/`,
  featureLinksRefresh: (projectId: number, featureId: number) =>
    `/api/v1/projects/${projectId}/features/${featureId}/feature-external-resources/refresh/`,
  segmentTest: (projectId: number) => `/api/v1/projects/${projectId}/segments/test/`,
  serverKeys: (apiKey: string) => `${env(apiKey)}api-keys/`,
  serverKey: (apiKey: string, keyId: number) => `${env(apiKey)}api-keys/${keyId}/`,
  identities: (apiKey: string) => `${env(apiKey)}identities/`,
  identity: (apiKey: string, identityId: number) => `${env(apiKey)}identities/${identityId}/`,
  traits: (apiKey: string, identityId: number) => `${env(apiKey)}identities/${identityId}/traits/`,
  trait: (apiKey: string, identityId: number, traitId: number) =>
    `${env(apiKey)}identities/${identityId}/traits/${traitId}/`,
  identityOverrides: (apiKey: string, identityId: number) =>
    `${env(apiKey)}identities/${identityId}/featurestates/`,
  identityOverride: (apiKey: string, identityId: number, overrideId: number) =>
    `${env(apiKey)}identities/${identityId}/featurestates/${overrideId}/`,
  evaluatedFlags: (apiKey: string, identityId: number) =>
    `${env(apiKey)}identities/${identityId}/evaluated-flags/`,
  multivariateOptions: (projectId: number, featureId: number) =>
    `/api/v1/projects/${projectId}/features/${featureId}/mv-options/`,
  multivariateOption: (projectId: number, featureId: number, optionId: number) =>
    `/api/v1/projects/${projectId}/features/${featureId}/mv-options/${optionId}/`,
};

/** Some lists answer a plain array, others a page; callers that want every row get an array. */
export function rowsOf<T>(data: T[] | { results: T[] } | undefined): T[] {
  if (!data) return [];
  return Array.isArray(data) ? data : data.results;
}
