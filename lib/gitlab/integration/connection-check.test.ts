import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_TOKENS, type DemoSeed } from "@/tools/gitlab-sim/seed";
import { startGitLabSimulator, type GitLabSimulator } from "@/tools/gitlab-sim/server";
import { ApiError } from "@/lib/api/errors";
import { resetEnvForTests } from "@/lib/env";
import { gitlabClient } from "@/lib/gitlab/client/client";
import {
  checkCredentials,
  checkProject,
  connectionError,
  inspectToken,
} from "@/lib/gitlab/integration/connection-check";
import { gitLabErrorToApiError, GitLabApiError, GitLabUnreachableError } from "@/lib/gitlab/client/errors";
import { InstanceUrlError } from "@/lib/gitlab/client/instance-url";
import { BlockedAddressError } from "@/lib/gitlab/client/network-guard";
import {
  FLAGPOST_GITLAB_LABEL,
  GITLAB_SYSTEM_TAGS,
  GITLAB_TAG_COLOR,
  gitlabSystemTag,
} from "@/lib/gitlab/links/system-tags";

const INSTANCE = "https://gitlab.example.com";
const apiError = (
  status: number,
  message: string,
  code: string | null = null,
  retryAfter: number | null = null,
) => new GitLabApiError(status, message, code, retryAfter, "GET /user");

function refusal(error: unknown) {
  const mapped = connectionError(error, INSTANCE);
  return {
    status: mapped.status,
    code: mapped.code,
    details: mapped.details,
    message: mapped.message,
    headers: mapped.headers,
  };
}

describe("refusals while checking a connection", () => {
  it.each([
    [
      "a malformed or non-http URL",
      new InstanceUrlError("must use http or https"),
      "invalid_url",
      "gitlab_instance_url",
    ],
    [
      "a private address",
      new BlockedAddressError("gitlab.lan", "10.0.0.5"),
      "private_address",
      "gitlab_instance_url",
    ],
    [
      "a refused connection",
      new GitLabUnreachableError(INSTANCE, "refused", "ECONNREFUSED"),
      "unreachable",
      "gitlab_instance_url",
    ],
    [
      "a timeout",
      new GitLabUnreachableError(INSTANCE, "timeout", "no answer within 10 s"),
      "unreachable",
      "gitlab_instance_url",
    ],
    [
      "an unknown host",
      new GitLabUnreachableError(INSTANCE, "dns", "ENOTFOUND"),
      "unreachable",
      "gitlab_instance_url",
    ],
    [
      "a web page instead of the API",
      new GitLabUnreachableError(INSTANCE, "not_gitlab", "not JSON"),
      "not_gitlab",
      "gitlab_instance_url",
    ],
    ["an unknown token", apiError(401, "401 Unauthorized"), "bad_token", "access_token"],
    [
      "an expired token",
      apiError(
        401,
        "Token is expired. You can either do re-authorization or token refresh.",
        "invalid_token",
      ),
      "expired_token",
      "access_token",
    ],
    [
      "a revoked token",
      apiError(401, "Token was revoked. You have to re-authorize from the user.", "invalid_token"),
      "revoked_token",
      "access_token",
    ],
    [
      "a token without the api scope",
      apiError(403, "The request requires higher privileges", "insufficient_scope"),
      "missing_scope",
      "access_token",
    ],
    [
      "a blocked token user",
      apiError(403, "403 Forbidden - Your account has been blocked."),
      "bad_token",
      "access_token",
    ],
  ])("refuses %s with its own reason, on its field", (_case, error, reason, field) => {
    const mapped = refusal(error);
    expect(mapped).toMatchObject({ status: 400, code: "bad_request", details: { reason, field } });
    expect(mapped.message.length).toBeGreaterThan(20);
  });

  it("keeps GitLab outages and rate limits as 502 and 503", () => {
    expect(refusal(apiError(500, "500 Internal Server Error"))).toMatchObject({
      status: 502,
      code: "bad_gateway",
    });
    expect(refusal(apiError(429, "Retry later", null, 42))).toMatchObject({
      status: 503,
      headers: { "retry-after": "42" },
    });
  });

  it("passes API errors through and rethrows what it does not know", () => {
    const own = new ApiError("conflict", "duplicate");
    expect(connectionError(own, INSTANCE)).toBe(own);
    expect(() => connectionError(new TypeError("bug"), INSTANCE)).toThrow(TypeError);
  });
});

describe("GitLab failures while using an integration", () => {
  it.each([
    [apiError(401, "401 Unauthorized"), 400, /is not valid/],
    [apiError(401, "Token is expired.", "invalid_token"), 400, /has expired/],
    [apiError(401, "Token was revoked.", "invalid_token"), 400, /was revoked/],
    [apiError(403, "higher privileges", "insufficient_scope"), 400, /api` scope/],
    [apiError(403, "403 Forbidden"), 400, /role is too low/],
    [apiError(404, "404 Project Not Found"), 400, /not found or is not visible/],
    [apiError(409, "409 Conflict"), 400, /HTTP 409/],
    [apiError(500, "500 Internal Server Error"), 502, /try again later/],
    [new GitLabUnreachableError(INSTANCE, "refused", "ECONNREFUSED"), 502, /could not be reached/],
    [new BlockedAddressError("gitlab.lan", "10.0.0.5"), 400, /GITLAB_ALLOW_PRIVATE_NETWORK/],
  ])("maps %s to %i", (error, status, message) => {
    const mapped = gitLabErrorToApiError(error, "The GitLab project");
    expect(mapped.status).toBe(status);
    expect(mapped.message).toMatch(message);
  });

  it("turns a 429 into 503 with GitLab's wait, or a minute when GitLab gave none", () => {
    expect(gitLabErrorToApiError(apiError(429, "Retry later", null, 7))).toMatchObject({
      code: "service_unavailable",
      headers: { "retry-after": "7" },
    });
    expect(gitLabErrorToApiError(apiError(429, "too many", null, null)).headers).toEqual({
      "retry-after": "60",
    });
  });
});

describe("checking a token against the simulator", () => {
  let gl: GitLabSimulator;
  let seed: DemoSeed;
  beforeAll(async () => {
    process.env.GITLAB_ALLOW_PRIVATE_NETWORK = "true";
    resetEnvForTests();
    gl = await startGitLabSimulator({ port: 0 });
    seed = gl.sim.seedDemo();
  });
  afterAll(() => gl.close());

  it("learns the token's name, scopes and expiry and the bot it acts as", async () => {
    const facts = await checkCredentials(`${gl.url}/`, DEMO_TOKENS.maintainer);
    expect(facts.instanceUrl).toBe(gl.url);
    expect(facts.token).toMatchObject({ name: "Flagpost", scopes: ["api"] });
    expect(facts.user).toMatchObject({ username: seed.botUsernames.maintainer, bot: true });
  });

  it("refuses a read_api token for the missing scope, naming what it has", async () => {
    const error = await checkCredentials(gl.url, DEMO_TOKENS.readonly).catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 400,
      details: { reason: "missing_scope" },
      message: expect.stringContaining("read_api"),
    });
  });

  it("falls back to GET /user on GitLab older than 15.5", async () => {
    gl.sim.setVersion("15.0.0");
    try {
      gl.sim.clearRequests();
      const facts = await inspectToken(gitlabClient({ instanceUrl: gl.url, token: DEMO_TOKENS.maintainer }));
      expect(facts.token).toBeNull();
      expect(facts.user.username).toBe(seed.botUsernames.maintainer);
      expect(gl.sim.requests().map((request) => `${request.path} ${request.status}`)).toEqual([
        "/personal_access_tokens/self 404",
        "/user 200",
      ]);
    } finally {
      gl.sim.setVersion("18.6.0");
    }
  });

  it("says there is no GitLab when neither endpoint exists", async () => {
    const error = await checkCredentials(`${gl.url}/_sim`, DEMO_TOKENS.maintainer).catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 400,
      details: { reason: "not_gitlab", field: "gitlab_instance_url" },
    });
  });

  it("refuses a project the token cannot see", async () => {
    const client = gitlabClient({ instanceUrl: gl.url, token: DEMO_TOKENS.maintainer });
    expect((await checkProject(client, seed.projectId)).pathWithNamespace).toBe(seed.projectPath);
    const error = await checkProject(client, seed.privateProjectId).catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 400,
      details: { reason: "project_not_found", field: "gitlab_project_id" },
    });
  });
});

describe("GitLab system tags", () => {
  it("are the six issue and merge request states, in GitLab orange", () => {
    expect(GITLAB_SYSTEM_TAGS.map((tag) => tag.label)).toEqual([
      "Issue Open",
      "Issue Closed",
      "MR Open",
      "MR Draft",
      "MR Merged",
      "MR Closed",
    ]);
    expect(GITLAB_TAG_COLOR).toBe("#FC6D26");
    expect(GITLAB_SYSTEM_TAGS.filter((tag) => tag.kind === "issue").map((tag) => tag.key)).toEqual([
      "issue_open",
      "issue_closed",
    ]);
    expect(new Set(GITLAB_SYSTEM_TAGS.map((tag) => tag.description)).size).toBe(6);
    expect(gitlabSystemTag("mr_draft").label).toBe("MR Draft");
    expect(FLAGPOST_GITLAB_LABEL.name).toBe("Flagpost");
  });
});
