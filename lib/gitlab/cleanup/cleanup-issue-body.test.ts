import { describe, expect, it } from "vitest";
import {
  cleanupIssueBody,
  cleanupIssueTitle,
  codeSpan,
  type CleanupIssueFacts,
} from "@/lib/gitlab/cleanup/cleanup-issue-body";
import { neutraliseQuickActions } from "@/lib/vcs/markdown";

const facts = (overrides: Partial<CleanupIssueFacts> = {}): CleanupIssueFacts => ({
  feature: { id: 42, projectId: 7, name: "new_checkout", description: "Gates the new checkout flow." },
  environments: [
    {
      name: "Development",
      apiKey: "dev-key",
      enabled: true,
      value: null,
      updatedAt: new Date("2026-10-03T09:00:00Z"),
    },
    {
      name: "Production",
      apiKey: "prod-key",
      enabled: true,
      value: null,
      updatedAt: new Date("2026-10-01T08:00:00Z"),
    },
  ],
  segmentOverrideCount: 0,
  links: [
    {
      type: "GITLAB_MR",
      reference: "acme/web!34",
      title: "Ship the new checkout",
      state: "merged",
      closedAt: new Date("2026-10-10T10:00:00Z"),
      url: "https://gitlab.example.com/acme/web/-/merge_requests/34",
      isCleanupIssue: false,
    },
    {
      type: "GITLAB_ISSUE",
      reference: "acme/web#12",
      title: "New checkout",
      state: "closed",
      closedAt: new Date("2026-10-11T10:00:00Z"),
      url: "https://gitlab.example.com/acme/web/-/issues/12",
      isCleanupIssue: false,
    },
  ],
  staleReason: "MR !34 merged 21 days ago; enabled in all 2 environments since 2026-10-03",
  publicUrl: "https://flagpost.example.com",
  ...overrides,
});

/** Lines GitLab would run as quick actions: a "/" at the start of a line outside code fences. */
function quickActionLines(markdown: string): string[] {
  let inFence = false;
  return markdown.split("\n").filter((line) => {
    if (/^\s{0,3}(```|~~~)/.test(line)) {
      inFence = !inFence;
      return false;
    }
    return !inFence && /^\s*\//.test(line);
  });
}

/** Cells of a GFM table row, split the way GitLab splits them (on unescaped pipes). */
const cells = (row: string) =>
  row
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split(/(?<!\\)\|/);

describe("cleanupIssueTitle", () => {
  it("names the flag in a code span", () => {
    expect(cleanupIssueTitle("new_checkout")).toBe("Remove feature flag `new_checkout`");
  });

  it("keeps backticks literal with a longer fence", () => {
    expect(codeSpan("a`b")).toBe("``a`b``");
    expect(codeSpan("`edge")).toBe("`` `edge ``");
  });
});

describe("cleanupIssueBody", () => {
  it("tells the flag's purpose, state per environment, linked work, last change and the checklist", () => {
    const body = cleanupIssueBody(facts());
    expect(body).toBe(
      [
        "Flagpost suggests removing the feature flag `new_checkout`: the work it was created for looks done.",
        "**Why now:** MR !34 merged 21 days ago; enabled in all 2 environments since 2026-10-03.",
        "### What the flag is for",
        "> Gates the new checkout flow.",
        "### Current state",
        [
          "| Environment | Enabled | Value | Last changed (UTC) |",
          "| :--- | :--- | :--- | :--- |",
          "| [Development](https://flagpost.example.com/projects/7/environments/dev-key/features/42?tab=value) | ✅ Enabled | _no value_ | 2026-10-03 09:00:00 |",
          "| [Production](https://flagpost.example.com/projects/7/environments/prod-key/features/42?tab=value) | ✅ Enabled | _no value_ | 2026-10-01 08:00:00 |",
        ].join("\n"),
        "The flag's state last changed on 2026-10-03 09:00:00 UTC.",
        "### Linked issues and merge requests",
        [
          "- Merge request [acme/web!34](https://gitlab.example.com/acme/web/-/merge_requests/34): Ship the new checkout (merged on 2026-10-10)",
          "- Issue [acme/web#12](https://gitlab.example.com/acme/web/-/issues/12): New checkout (closed on 2026-10-11)",
        ].join("\n"),
        "### Checklist",
        [
          "- [ ] Remove the code paths that read `new_checkout`",
          "- [ ] Remove the flag in Flagpost ([new_checkout in Flagpost](https://flagpost.example.com/projects/7/environments/dev-key/features/42?tab=value))",
        ].join("\n"),
        "_Created by Flagpost. Closing this issue marks the flag ready to delete in Flagpost._",
      ].join("\n\n"),
    );
  });

  it("keeps pipes in names, titles and values from breaking the table", () => {
    const body = cleanupIssueBody(
      facts({
        environments: [
          {
            name: "Prod | EU",
            apiKey: "k",
            enabled: false,
            value: "a|b",
            updatedAt: new Date("2026-10-03T09:00:00Z"),
          },
        ],
      }),
    );
    const row = body.split("\n").find((line) => line.startsWith("| [Prod"))!;
    expect(cells(row)).toHaveLength(4);
    expect(row).toContain("[Prod \\| EU]");
    expect(row).toContain("`a\\|b`");
    expect(row).toContain("❌ Disabled");
  });

  it("keeps descriptions and titles readable: only backticks, HTML and mentions are escaped", () => {
    const body = cleanupIssueBody(
      facts({
        feature: {
          id: 42,
          projectId: 7,
          name: "new_checkout",
          description: "/close\n  /label ~bug\n<script>alert(1)</script> `code` @all see #12 and !3",
        },
        links: [
          {
            type: "GITLAB_ISSUE",
            reference: "acme/web#1",
            title: "/assign @bob | <img src=x onerror=alert(1)>",
            state: "closed",
            closedAt: null,
            url: "https://gitlab.example.com/acme/web/-/issues/1",
            isCleanupIssue: false,
          },
        ],
        staleReason: "issue #1 closed",
      }),
    );
    expect(quickActionLines(body)).toEqual([]);
    expect(body).not.toMatch(/<script|<img/);
    // Quoted, a slash line is no quick action; sending neutralises any that people type (below).
    expect(body).toContain("> /close");
    expect(body).toContain(">   /label ~bug");
    expect(body).toContain("&lt;script>alert(1)&lt;/script> \\`code\\` \\@all see #12 and !3");
    expect(body).toContain(": /assign \\@bob \\| &lt;img src=x onerror=alert(1)> (closed)");
  });

  it("warns about segment overrides, leaves cleanup issues out of the linked work and copes with no environments or links", () => {
    const body = cleanupIssueBody(
      facts({
        environments: [],
        segmentOverrideCount: 2,
        links: [
          {
            type: "GITLAB_ISSUE",
            reference: "acme/web#40",
            title: "Remove feature flag",
            state: "opened",
            closedAt: null,
            url: "https://x/40",
            isCleanupIssue: true,
          },
        ],
        staleReason: null,
        feature: { id: 42, projectId: 7, name: "new_checkout", description: "  " },
      }),
    );
    expect(body).toContain("_This project has no environments._");
    expect(body).toContain("⚠️ 2 segment overrides still target some users");
    expect(body).toContain("_None linked in Flagpost._");
    expect(body).toContain("_No description in Flagpost._");
    expect(body).not.toContain("Why now");
    expect(body).not.toContain("#40");
    expect(body).toContain("([new_checkout in Flagpost](https://flagpost.example.com/projects/7))");
    // No linked work: nothing "looks done".
    expect(body).toContain("Flagpost suggests removing the feature flag `new_checkout`.\n");
    expect(body).not.toContain("looks done");
  });
});

describe("neutraliseQuickActions", () => {
  // Fences are not trusted any more (issue 12 #9): GitLab may read a fence differently, so lines in
  // code blocks are escaped too and show the backslash. lib/vcs/markdown.test.ts has the properties.
  it("escapes every line that starts with a slash, code fences included", () => {
    const typed = [
      "Remove it.",
      "/close",
      "  /assign @bob",
      "```sh",
      "/usr/bin/true",
      "```",
      "~~~",
      "/still code",
      "~~~",
      "a /not-at-start",
      "/label ~x",
    ].join("\n");
    const safe = neutraliseQuickActions(typed);
    expect(safe).toBe(
      [
        "Remove it.",
        "\\/close",
        "  \\/assign @bob",
        "```sh",
        "\\/usr/bin/true",
        "```",
        "~~~",
        "\\/still code",
        "~~~",
        "a /not-at-start",
        "\\/label ~x",
      ].join("\n"),
    );
    expect(quickActionLines(safe)).toEqual([]);
  });

  it("does not depend on which fence closes a block, and keeps line breaks as typed", () => {
    expect(neutraliseQuickActions("````\n```\n/inside\n````\n/outside")).toBe(
      "````\n```\n\\/inside\n````\n\\/outside",
    );
    expect(neutraliseQuickActions("\r\n/windows\r\n")).toBe("\r\n\\/windows\r\n");
  });
});
