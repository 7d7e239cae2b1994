// Page URLs, built in one place so links and redirects agree.

const envSegment = (apiKey: string) => encodeURIComponent(apiKey);

export const routes = {
  projects: () => "/projects",
  project: (projectId: number) => `/projects/${projectId}`,
  features: (projectId: number, apiKey: string) =>
    `/projects/${projectId}/environments/${envSegment(apiKey)}/features`,
  feature: (projectId: number, apiKey: string, featureId: number, tab?: string) =>
    `/projects/${projectId}/environments/${envSegment(apiKey)}/features/${featureId}${tab ? `?tab=${tab}` : ""}`,
  identities: (projectId: number, apiKey: string, identityId?: number) =>
    `/projects/${projectId}/environments/${envSegment(apiKey)}/identities${identityId ? `?identity=${identityId}` : ""}`,
  segments: (projectId: number) => `/projects/${projectId}/segments`,
  environments: (projectId: number) => `/projects/${projectId}/environments`,
  auditLog: (projectId: number) => `/projects/${projectId}/audit-log`,
  staleFlags: (projectId: number) => `/projects/${projectId}/stale-flags`,
  scheduledChanges: (projectId: number) => `/projects/${projectId}/scheduled-changes`,
  settings: (projectId: number) => `/projects/${projectId}/settings`,
  members: (projectId: number) => `/projects/${projectId}/settings/members`,
  integrations: (projectId: number) => `/projects/${projectId}/settings/integrations`,
  gitlabIntegration: (projectId: number) => `/projects/${projectId}/settings/integrations/gitlab`,
  organisationSettings: () => "/organisation/settings",
  account: () => "/account",
  login: () => "/login",
};
