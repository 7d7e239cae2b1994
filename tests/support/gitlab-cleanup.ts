import * as testClockRoute from "@/app/api/internal/test-clock/route";
import * as stateRoute from "@/app/api/v1/environments/[envApiKey]/featurestates/[stateId]/route";
import * as featureRoute from "@/app/api/v1/projects/[projectId]/features/[featureId]/route";
import * as featuresRoute from "@/app/api/v1/projects/[projectId]/features/route";
import * as previewRoute from "@/app/api/v1/projects/[projectId]/gitlab/cleanup-issue-preview/route";
import * as createRoute from "@/app/api/v1/projects/[projectId]/gitlab/create-cleanup-issue/route";
import * as staleFlagsRoute from "@/app/api/v1/projects/[projectId]/stale-flags/route";
import { resetEnvForTests } from "@/lib/env";
import { call, queryString, type CallOptions } from "@/tests/support/api";

// Calls of the stale-flag and cleanup-issue endpoints, the feature endpoints they change (archive,
// permanent) and the test clock, all through the real route handlers.

type Auth = Pick<CallOptions, "apiKey" | "headers">;

export const cleanupApi = {
  preview: (auth: Auth, projectId: number, featureId: number | string) =>
    call(
      previewRoute.GET,
      "GET",
      `/api/v1/projects/${projectId}/gitlab/cleanup-issue-preview/${queryString({ feature_id: featureId })}`,
      { ...auth, params: { projectId } },
    ),
  create: (auth: Auth, projectId: number, body: unknown) =>
    call(createRoute.POST, "POST", `/api/v1/projects/${projectId}/gitlab/create-cleanup-issue/`, {
      ...auth,
      params: { projectId },
      body,
    }),
  staleFlags: (auth: Auth, projectId: number, filters: Record<string, string | number> = {}) =>
    call(staleFlagsRoute.GET, "GET", `/api/v1/projects/${projectId}/stale-flags/${queryString(filters)}`, {
      ...auth,
      params: { projectId },
    }),
  features: (auth: Auth, projectId: number, filters: Record<string, string | number | boolean> = {}) =>
    call(featuresRoute.GET, "GET", `/api/v1/projects/${projectId}/features/${queryString(filters)}`, {
      ...auth,
      params: { projectId },
    }),
  feature: (auth: Auth, projectId: number, featureId: number) =>
    call(featureRoute.GET, "GET", `/api/v1/projects/${projectId}/features/${featureId}/`, {
      ...auth,
      params: { projectId, featureId },
    }),
  patchFeature: (auth: Auth, projectId: number, featureId: number, body: unknown) =>
    call(featureRoute.PATCH, "PATCH", `/api/v1/projects/${projectId}/features/${featureId}/`, {
      ...auth,
      params: { projectId, featureId },
      body,
    }),
  patchState: (auth: Auth, envApiKey: string, stateId: number, body: unknown) =>
    call(stateRoute.PATCH, "PATCH", `/api/v1/environments/${envApiKey}/featurestates/${stateId}/`, {
      ...auth,
      params: { envApiKey, stateId },
      body,
    }),
};

/** The test clock as the e2e server has it: turned on for this process, moved through its endpoint. */
export const testClock = {
  enable() {
    process.env.FLAGPOST_TEST_CLOCK = "true";
    resetEnvForTests();
  },
  disable() {
    delete process.env.FLAGPOST_TEST_CLOCK;
    resetEnvForTests();
  },
  advanceDays: (days: number) =>
    call(testClockRoute.POST, "POST", "/api/internal/test-clock", { body: { advance_days: days } }),
  read: () => call(testClockRoute.GET, "GET", "/api/internal/test-clock"),
  reset: () => call(testClockRoute.DELETE, "DELETE", "/api/internal/test-clock"),
};
