import { describe, expect, it } from "vitest";
import { ItemReferenceError, parseItemReference, shortReference } from "@/lib/gitlab/links/item-reference";

const COM = "https://gitlab.com";
const PREFIXED = "https://example.com/gitlab";

describe("parseItemReference: URLs", () => {
  it.each([
    ["https://gitlab.com/acme/web/-/issues/12", "issue", "acme/web", 12],
    ["https://gitlab.com/acme/web/issues/12", "issue", "acme/web", 12],
    ["https://gitlab.com/acme/web/-/work_items/8", "issue", "acme/web", 8],
    ["https://gitlab.com/acme/web/-/issues/incident/5", "issue", "acme/web", 5],
    ["https://gitlab.com/acme/web/-/merge_requests/34", "merge_request", "acme/web", 34],
    ["https://gitlab.com/acme/web/merge_requests/34", "merge_request", "acme/web", 34],
    ["https://gitlab.com/a/b/c/d/e/project/-/issues/1", "issue", "a/b/c/d/e/project", 1],
    [
      "https://gitlab.com/group1/group2/group3/grp2repo/-/merge_requests/1",
      "merge_request",
      "group1/group2/group3/grp2repo",
      1,
    ],
    ["https://gitlab.com/acme/web/-/issues/12/", "issue", "acme/web", 12],
    ["https://gitlab.com/acme/web/-/issues/12?tab=activity", "issue", "acme/web", 12],
    ["https://gitlab.com/acme/web/-/issues/12#note_123456", "issue", "acme/web", 12],
    ["https://gitlab.com/acme/web/-/merge_requests/34/diffs#note_9", "merge_request", "acme/web", 34],
    ["https://gitlab.com/acme/web/-/merge_requests/34/pipelines", "merge_request", "acme/web", 34],
    ["  https://gitlab.com/acme/web/-/issues/12  ", "issue", "acme/web", 12],
    ["https://GITLAB.com/Acme/Web/-/issues/3", "issue", "Acme/Web", 3],
    ["http://gitlab.com/acme/web/-/issues/3", "issue", "acme/web", 3],
    ["https://gitlab.com/acme/my.project-name_2/-/issues/3", "issue", "acme/my.project-name_2", 3],
  ] as const)("%s", (input, kind, projectPath, iid) => {
    expect(parseItemReference(input, COM)).toEqual({ kind, projectPath, iid });
  });

  it("accepts instances under a path prefix and strips the prefix from the project path", () => {
    expect(parseItemReference("https://example.com/gitlab/acme/web/-/issues/4", PREFIXED)).toEqual({
      kind: "issue",
      projectPath: "acme/web",
      iid: 4,
    });
    expect(parseItemReference("https://example.com/gitlab/acme/web/merge_requests/9", PREFIXED)).toEqual({
      kind: "merge_request",
      projectPath: "acme/web",
      iid: 9,
    });
  });

  it("accepts self-managed hosts with a port", () => {
    expect(
      parseItemReference("http://127.0.0.1:4010/acme/web/-/issues/2", "http://127.0.0.1:4010"),
    ).toMatchObject({ iid: 2 });
  });

  it("reads the issue-list drawer link", () => {
    const show = Buffer.from(JSON.stringify({ iid: "17", full_path: "acme/web", id: 999 })).toString(
      "base64",
    );
    expect(
      parseItemReference(`https://gitlab.com/acme/web/-/issues?show=${encodeURIComponent(show)}`, COM),
    ).toEqual({
      kind: "issue",
      projectPath: "acme/web",
      iid: 17,
    });
  });
});

describe("parseItemReference: short references", () => {
  it.each([
    ["#12", "issue", null, 12],
    ["!34", "merge_request", null, 34],
    ["acme/web#12", "issue", "acme/web", 12],
    ["acme/platform/flags!7", "merge_request", "acme/platform/flags", 7],
    [" #5 ", "issue", null, 5],
  ] as const)("%s", (input, kind, projectPath, iid) => {
    expect(parseItemReference(input, COM)).toEqual({ kind, projectPath, iid });
  });
});

describe("parseItemReference: refusals say why", () => {
  const refuse = (input: string, message: RegExp, instance = COM) => {
    expect(() => parseItemReference(input, instance)).toThrow(ItemReferenceError);
    expect(() => parseItemReference(input, instance)).toThrow(message);
  };

  it("another host", () =>
    refuse(
      "https://gitlab.example.org/acme/web/-/issues/1",
      /on gitlab\.example\.org, but the GitLab integration is connected to gitlab\.com/,
    ));
  it("another path prefix on the same host", () =>
    refuse(
      "https://example.com/other/acme/web/-/issues/1",
      /outside https:\/\/example\.com\/gitlab/,
      PREFIXED,
    ));
  it("group-level work items", () =>
    refuse(
      "https://gitlab.com/groups/acme/-/work_items/3",
      /Group-level work items and epics cannot be linked/,
    ));
  it("group epics", () => refuse("https://gitlab.com/groups/acme/sub/-/epics/9", /Group-level/));
  it("a project page", () =>
    refuse("https://gitlab.com/acme/web", /Not a GitLab issue or merge request URL/));
  it("other project pages", () => refuse("https://gitlab.com/acme/web/-/pipelines/3", /Not a GitLab issue/));
  it("a single-segment path (not a project)", () =>
    refuse("https://gitlab.com/acme/-/issues/1", /Not a GitLab issue/));
  it("a zero iid", () =>
    refuse("https://gitlab.com/acme/web/-/issues/0", /not a valid issue or merge request number/));
  it("an overlong iid", () => refuse("#99999999999", /not a valid issue or merge request number/));
  it("free text", () => refuse("fix the login bug", /not a GitLab issue or merge request URL or reference/));
  it("empty input", () => refuse("   ", /Paste an issue or merge request URL/));
  it("a malformed URL", () => refuse("https://", /not a valid URL/));
  it("a bad path in a reference", () => refuse("acme#3", /not a GitLab project path/));
});

describe("shortReference", () => {
  it("uses # for issues and ! for merge requests", () => {
    expect(shortReference("issue", 12)).toBe("#12");
    expect(shortReference("merge_request", 34)).toBe("!34");
  });
});
