import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { syncFeatureGitLabTags } from "@/lib/gitlab/links/feature-tags";
import { WEBHOOK_ACTOR } from "@/lib/gitlab/webhooks/apply-delivery";
import { createFeature } from "@/tests/support/flags";
import {
  FIXTURE_DIR,
  fixture,
  fixtureEvents,
  fixtureText,
  linkItem,
  postWebhook,
  setupWebhookProject,
  tagLabels,
  type LinkSpec,
} from "@/tests/support/gitlab-webhooks";

// Every recorded GitLab payload in tests/fixtures/gitlab-webhooks (2017 to 2026 generations),
// replayed through the route handler with the X-Gitlab-Event header SOURCES.md gives it. Issue and
// MR payloads find a link made to match them; the rest must be ignored with a 200.

interface Expectation {
  /** The link the payload's item should find, in the state it had before the event. */
  link?: Omit<LinkSpec, "iid"> & { iid: number };
  tags?: string[];
  /** Approvals and label updates: the tag stays as it was. */
  keepsTag?: boolean;
  metadata?: Record<string, unknown>;
  ignored?: RegExp;
}

const issue = (gitlabProjectId: number, projectPath: string, iid: number, state = "opened"): LinkSpec => ({
  type: "GITLAB_ISSUE",
  gitlabProjectId,
  projectPath,
  iid,
  state,
});
const mr = (
  gitlabProjectId: number,
  projectPath: string,
  iid: number,
  state = "opened",
  draft = false,
): LinkSpec => ({ type: "GITLAB_MR", gitlabProjectId, projectPath, iid, state, draft });

const EXPECTED: Record<string, Expectation> = {
  "confidential_issue.json": {
    link: issue(5, "joe.bloggs/testing", 1),
    tags: ["Issue Closed"],
    metadata: {
      state: "closed",
      title: "Testing Test",
      closedAt: new Date("2018-09-15T19:05:12Z"),
      gitlabUpdatedAt: new Date("2018-09-15T19:05:12Z"),
    },
  },
  "confidential_work_item_task_close.json": {
    link: issue(80222147, "sathwikshetty33-group/mVc", 14),
    tags: ["Issue Closed"],
    metadata: {
      state: "closed",
      closedAt: new Date("2026-05-29T08:28:12.583Z"),
      gitlabUpdatedAt: new Date("2026-05-29T08:28:12.594Z"),
    },
  },
  "issue_close.json": {
    link: issue(4861503, "gitlab-org/hello-world", 1),
    tags: ["Issue Closed"],
    metadata: {
      state: "closed",
      title: "found a bug",
      labels: ["critical"],
      assignees: [],
      closedAt: new Date("2017-12-10T16:41:28Z"),
    },
  },
  "issue_open.json": {
    link: issue(1, "gitlabhq/gitlab-test", 23),
    tags: ["Issue Open"],
    metadata: {
      state: "opened",
      title: "New API: create/update/delete file",
      labels: ["API"],
      assignees: [
        { id: null, username: "user1", name: "User1", avatar_url: expect.stringContaining("gravatar") },
      ],
      closedAt: null,
      gitlabUpdatedAt: new Date("2013-12-03T17:15:43Z"),
    },
  },
  "issue_reopen.json": {
    link: issue(4861503, "gitlab-org/hello-world", 1, "closed"),
    tags: ["Issue Open"],
    metadata: { state: "opened", closedAt: null },
  },
  "issue_update_labels.json": {
    link: issue(4861503, "gitlab-org/hello-world", 1),
    keepsTag: true,
    tags: ["Issue Open"],
    metadata: { labels: ["critical"] },
  },
  "mr_approved.json": {
    link: mr(3319043, "eeshangarg/my-awesome-project", 1),
    keepsTag: true,
    tags: ["MR Open"],
    metadata: { state: "opened", labels: [] },
  },
  "mr_close.json": {
    link: mr(4861503, "gitlab-org/hello-world", 1),
    tags: ["MR Closed"],
    metadata: { state: "closed", closedAt: new Date("2017-12-10T17:02:46Z") },
  },
  "mr_merge.json": {
    link: mr(4861503, "gitlab-org/hello-world", 1),
    tags: ["MR Merged"],
    metadata: { state: "merged", title: "update readme", closedAt: new Date("2017-12-10T17:08:07Z") },
  },
  "mr_open.json": {
    link: mr(1, "gitlabhq/gitlab-test", 1),
    tags: ["MR Open"],
    metadata: { state: "opened", draft: false, labels: ["API"] },
  },
  "mr_open_nested_group.json": {
    link: mr(4861503, "group1/group2/group3/grp2repo", 1),
    tags: ["MR Open"],
    metadata: { state: "opened" },
  },
  "mr_reopen.json": {
    link: mr(4861503, "gitlab-org/hello-world", 1, "closed"),
    tags: ["MR Open"],
    metadata: { state: "opened", closedAt: null },
  },
  "mr_update_draft.json": {
    link: mr(44067058, "rathod.meetsatish/meet", 3),
    tags: ["MR Draft"],
    metadata: {
      state: "opened",
      draft: true,
      title: "Draft: Update README.md",
      author: {
        id: 13900456,
        username: "rathod.meetsatish",
        name: "Meet Rathod",
        avatar_url: expect.any(String),
      },
    },
  },
  "note_confidential_issue.json": { ignored: /Confidential Note Hook events are not used/ },
  "note_hook.json": { ignored: /Note Hook events are not used/ },
  "note_issue.json": { ignored: /Note Hook events are not used/ },
  "work_item.json": { ignored: /Group-level work item/ },
  "work_item_task_close.json": {
    link: issue(80222147, "sathwikshetty33-group/mVc", 8),
    tags: ["Issue Closed"],
    metadata: { state: "closed", closedAt: new Date("2026-05-28T06:17:50.385Z") },
  },
};

describe("replaying GitLab's recorded payloads", () => {
  it("has an expectation for every fixture file and a header for each", () => {
    const files = fs
      .readdirSync(FIXTURE_DIR)
      .filter((file) => file.endsWith(".json"))
      .sort();
    expect(fixtureEvents().map((row) => row.file)).toEqual(files);
    expect(Object.keys(EXPECTED).sort()).toEqual(files);
  });

  for (const { file, event } of fixtureEvents()) {
    it(`${file} (${event})`, async () => {
      const expected = EXPECTED[file]!;
      const { projectId, apiKey } = await setupWebhookProject();
      const feature = await createFeature(apiKey, projectId, { name: file.replace(/\W/g, "_") });
      const unrelated = await createFeature(apiKey, projectId, { name: `${file.replace(/\W/g, "_")}_other` });
      if (expected.link) {
        await linkItem(feature.id, expected.link);
        // The other feature links the same iid of the other kind: it must not be touched.
        await linkItem(unrelated.id, {
          ...expected.link,
          type: expected.link.type === "GITLAB_MR" ? "GITLAB_ISSUE" : "GITLAB_MR",
        });
        await prisma.$transaction((tx) =>
          syncFeatureGitLabTags(tx, projectId, [feature.id, unrelated.id], WEBHOOK_ACTOR),
        );
      }
      const tagsBefore = await tagLabels(feature.id);
      const unrelatedBefore = await tagLabels(unrelated.id);

      const answer = await postWebhook(projectId, fixtureText(file), {
        event,
        idempotencyKey: `fixture-${file}`,
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);

      if (expected.ignored) {
        expect(answer.body).toEqual({ status: "ignored", reason: expect.stringMatching(expected.ignored) });
        expect(await prisma.webhookDelivery.count({ where: { projectId, result: "IGNORED" } })).toBe(1);
        return;
      }
      expect(answer.body).toMatchObject({ status: "applied", updated_links: 1 });
      expect(await tagLabels(feature.id)).toEqual(expected.tags);
      if (expected.keepsTag) {
        expect(tagsBefore).toEqual(expected.tags);
        expect(answer.body.tag_changes).toEqual([]);
      }
      expect(await tagLabels(unrelated.id)).toEqual(unrelatedBefore);
      const link = await prisma.externalResource.findFirstOrThrow({ where: { featureId: feature.id } });
      expect(link).toMatchObject({ ...expected.metadata, metadataRefreshedAt: expect.any(Date) });
      const body = fixture(file);
      expect(link.title).toBe(body.object_attributes.title);
      const row = await prisma.webhookDelivery.findFirstOrThrow({ where: { projectId } });
      expect(row).toMatchObject({
        result: "APPLIED",
        event,
        action: body.object_attributes.action,
        objectKind: body.object_kind,
        httpStatus: 200,
        body: null,
      });
      expect(row.itemRef).toMatch(/[#!]\d+$/);
    });
  }
});
