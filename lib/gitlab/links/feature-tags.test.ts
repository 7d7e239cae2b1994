import { describe, expect, it } from "vitest";
import { desiredTags, itemTagKey } from "@/lib/gitlab/links/feature-tags";

const issue = (state: string) => ({ type: "GITLAB_ISSUE" as const, state, draft: false });
const mr = (state: string, draft = false) => ({ type: "GITLAB_MR" as const, state, draft });

describe("GitLab tag mapping (state-based)", () => {
  it.each([
    [issue("opened"), "issue_open"],
    [issue("closed"), "issue_closed"],
    [mr("opened"), "mr_open"],
    [mr("opened", true), "mr_draft"],
    [mr("locked"), "mr_open"],
    [mr("merged"), "mr_merged"],
    [mr("merged", true), "mr_merged"],
    [mr("closed"), "mr_closed"],
    [mr("closed", true), "mr_closed"],
  ] as const)("%o → %s", (item, key) => {
    expect(itemTagKey(item)).toBe(key);
  });

  it("picks the most active item of each kind, independently", () => {
    expect(desiredTags([issue("opened"), issue("closed")])).toEqual({
      issue: "issue_open",
      merge_request: null,
    });
    expect(desiredTags([mr("closed"), mr("merged")])).toEqual({ issue: null, merge_request: "mr_merged" });
    expect(desiredTags([mr("merged"), mr("opened", true)])).toEqual({
      issue: null,
      merge_request: "mr_draft",
    });
    expect(desiredTags([mr("opened", true), mr("opened")])).toEqual({
      issue: null,
      merge_request: "mr_open",
    });
    expect(desiredTags([issue("closed"), mr("merged")])).toEqual({
      issue: "issue_closed",
      merge_request: "mr_merged",
    });
    expect(desiredTags([])).toEqual({ issue: null, merge_request: null });
  });
});
