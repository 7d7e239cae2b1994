import { describe, expect, it } from "vitest";
import {
  describeGitLabErrorBody,
  GitLabApiError,
  gitLabErrorToApiError,
  MAX_GITLAB_MESSAGE_LENGTH,
} from "@/lib/gitlab/client/errors";

// GitLab's messages end up in token_status_reason, job errors and API answers: a huge one (a proxy's
// error page, a validation dump) must not be stored or shown whole.
describe("GitLab error messages are capped", () => {
  const huge = `Unauthorized: ${"x".repeat(5_000)}`;

  it.each([
    ["a JSON message", JSON.stringify({ message: huge })],
    ["an OAuth error description", JSON.stringify({ error: "invalid_token", error_description: huge })],
    ["a field dump", JSON.stringify({ message: { title: [huge], description: [huge] } })],
    ["plain text", huge],
  ])("%s is cut to about 300 characters with an ellipsis", (_kind, body) => {
    const { message } = describeGitLabErrorBody(body);
    expect(Array.from(message)).toHaveLength(MAX_GITLAB_MESSAGE_LENGTH);
    expect(message.endsWith("…")).toBe(true);
  });

  it("keeps short messages as they are", () => {
    expect(describeGitLabErrorBody(JSON.stringify({ message: "401 Unauthorized" })).message).toBe(
      "401 Unauthorized",
    );
  });

  it("caps what an error carries and what the API answers", () => {
    const error = new GitLabApiError(401, huge, null, null, "/user");
    expect(Array.from(error.gitlabMessage)).toHaveLength(MAX_GITLAB_MESSAGE_LENGTH);
    expect(error.message.length).toBeLessThan(400);
    const answered = gitLabErrorToApiError(
      new GitLabApiError(422, huge, null, null, "/projects/1/issues"),
      "creating the issue",
    );
    expect(answered.message.length).toBeLessThan(450);
    expect(JSON.stringify(answered.details ?? {}).length).toBeLessThan(450);
  });
});
