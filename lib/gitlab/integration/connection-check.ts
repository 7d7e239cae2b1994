import "server-only";
import { ApiError } from "@/lib/api/errors";
import {
  gitlabClient,
  type GitLabClient,
  type GitLabProjectDetail,
  type GitLabTokenInfo,
  type GitLabUser,
} from "@/lib/gitlab/client/client";
import { gitLabErrorToApiError, GitLabApiError, GitLabUnreachableError } from "@/lib/gitlab/client/errors";
import { InstanceUrlError, normaliseInstanceUrl } from "@/lib/gitlab/client/instance-url";
import { BlockedAddressError } from "@/lib/gitlab/client/network-guard";

// Checking what a person typed into the GitLab connection form before anything is saved: that the
// URL is a GitLab reachable from here, and what the token is (name, scopes, expiry, the user or bot
// it acts as). Each failure is refused with its own reason and the form field it belongs to.

type ConnectionRefusal =
  | "invalid_url"
  | "private_address"
  | "unreachable"
  | "not_gitlab"
  | "bad_token"
  | "expired_token"
  | "revoked_token"
  | "missing_scope"
  | "project_not_found";

type Field = "gitlab_instance_url" | "access_token" | "gitlab_project_id";

const FIELD: Record<ConnectionRefusal, Field> = {
  invalid_url: "gitlab_instance_url",
  private_address: "gitlab_instance_url",
  unreachable: "gitlab_instance_url",
  not_gitlab: "gitlab_instance_url",
  bad_token: "access_token",
  expired_token: "access_token",
  revoked_token: "access_token",
  missing_scope: "access_token",
  project_not_found: "gitlab_project_id",
};

function refuse(reason: ConnectionRefusal, message: string): ApiError {
  return new ApiError("bad_request", message, { reason, field: FIELD[reason] });
}

export interface TokenFacts {
  /** Null on GitLab older than 15.5, which cannot describe a token. */
  token: GitLabTokenInfo | null;
  user: GitLabUser;
}

const notGitLab = (instanceUrl: string) =>
  refuse(
    "not_gitlab",
    `No GitLab API answered at ${instanceUrl}/api/v4. Check the instance URL; for a GitLab served under a path, include it (e.g. https://example.com/gitlab).`,
  );

/** Maps a failure while checking a connection to the refusal the form shows; GitLab outages stay 502/503. */
export function connectionError(error: unknown, instanceUrl: string): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof InstanceUrlError) return refuse("invalid_url", error.message);
  if (error instanceof BlockedAddressError) return refuse("private_address", error.message);
  if (error instanceof GitLabUnreachableError) {
    if (error.reason === "not_gitlab") return notGitLab(instanceUrl);
    return refuse(
      "unreachable",
      `${error.message}. Check the URL, and that this Flagpost server can reach it.`,
    );
  }
  if (error instanceof GitLabApiError) {
    if (error.status === 401) {
      if (/expired/i.test(error.gitlabMessage))
        return refuse(
          "expired_token",
          "The access token has expired. Create a new token in GitLab and paste it here.",
        );
      if (/revoked/i.test(error.gitlabMessage))
        return refuse(
          "revoked_token",
          "The access token was revoked. Create a new token in GitLab and paste it here.",
        );
      return refuse(
        "bad_token",
        "GitLab did not accept the access token. Check that you copied all of it and that it was created on this GitLab instance.",
      );
    }
    if (error.status === 403 && error.errorCode === "insufficient_scope") {
      return refuse(
        "missing_scope",
        "The access token lacks the api scope. Create a token with the api scope.",
      );
    }
    if (error.status === 403)
      return refuse("bad_token", `GitLab refused the access token: ${error.gitlabMessage}`);
  }
  return gitLabErrorToApiError(error);
}

const today = () => new Date().toISOString().slice(0, 10);

/** What the token is, refusing tokens that are revoked, expired or lack the `api` scope. */
export async function inspectToken(client: GitLabClient): Promise<TokenFacts> {
  let token: GitLabTokenInfo | null = null;
  try {
    token = await client.tokens.self();
  } catch (error) {
    // 404: GitLab before 15.5 (or no GitLab at all: GET /user tells). 400: a token type that
    // endpoint does not describe (OAuth). Either way GET /user still proves the token works.
    if (!(error instanceof GitLabApiError && (error.status === 404 || error.status === 400))) throw error;
  }
  if (token) {
    if (token.revoked)
      throw refuse(
        "revoked_token",
        "The access token was revoked. Create a new token in GitLab and paste it here.",
      );
    if (!token.active && token.expiresAt !== null && token.expiresAt < today()) {
      throw refuse(
        "expired_token",
        `The access token expired on ${token.expiresAt}. Create a new token in GitLab and paste it here.`,
      );
    }
    if (!token.active) throw refuse("bad_token", "GitLab reports the access token as inactive.");
    if (!token.scopes.includes("api")) {
      const has = token.scopes.length ? token.scopes.join(", ") : "none";
      throw refuse(
        "missing_scope",
        `The access token needs the api scope (it has: ${has}). Flagpost writes comments and labels, which read_api does not allow.`,
      );
    }
  }
  try {
    return { token, user: await client.user.current() };
  } catch (error) {
    if (error instanceof GitLabApiError && error.status === 404) throw notGitLab(client.instanceUrl);
    throw error;
  }
}

/** Validates an instance URL and token as typed into the form; nothing is stored. */
export async function checkCredentials(
  instanceUrlInput: string,
  accessToken: string,
): Promise<TokenFacts & { instanceUrl: string; client: GitLabClient }> {
  let instanceUrl = instanceUrlInput;
  try {
    instanceUrl = normaliseInstanceUrl(instanceUrlInput);
    const client = gitlabClient({ instanceUrl, token: accessToken });
    return { ...(await inspectToken(client)), instanceUrl, client };
  } catch (error) {
    throw connectionError(error, instanceUrl);
  }
}

/** The GitLab project to link, as the token sees it. */
export async function checkProject(
  client: GitLabClient,
  gitlabProjectId: number,
): Promise<GitLabProjectDetail> {
  try {
    return await client.projects.get(gitlabProjectId);
  } catch (error) {
    if (error instanceof GitLabApiError && error.status === 404) {
      throw refuse(
        "project_not_found",
        `GitLab project ${gitlabProjectId} does not exist or the access token cannot see it.`,
      );
    }
    throw connectionError(error, client.instanceUrl);
  }
}
