import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DemoSeed } from "@/tools/gitlab-sim/seed";
import { startGitLabSimulator, type GitLabSimulator } from "@/tools/gitlab-sim/server";
import { ACCESS_LEVEL } from "@/tools/gitlab-sim/types";
import { recordAudit } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { STATUS_NOTE_JOB, statusNoteKey } from "@/lib/gitlab/notes/status-note-outbox";
import { enqueueJob } from "@/lib/jobs/queue";
import { drainJobs } from "@/lib/jobs/worker";
import { hasChangeMarker } from "@/lib/vcs/status-comment";
import { expectStatus, type TestEnvironment } from "@/tests/support/flags";
import { gitlabApi } from "@/tests/support/gitlab";
import { linksApi } from "@/tests/support/gitlab-links";
import {
  drainUntilIdle,
  environmentRow,
  flags,
  linkItem,
  newGitLabToken,
  noteJobs,
  notesProject,
  statusNotes,
  type NotesProject,
} from "@/tests/support/gitlab-notes";

// Flag-state comments on linked GitLab items, end to end: real domain functions and route
// handlers, the real queue and worker, the GitLab simulator. One note per (feature, item), created
// on link and edited in place; the per-change style; failures; the outbox; two workers.

process.env.FLAGPOST_JOB_DEBOUNCE_MS = "50";
resetEnvForTests();

let gl: GitLabSimulator;
let seed: DemoSeed;

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0 });
  seed = gl.sim.seedDemo();
});
afterEach(() => {
  gl.sim.clearFaults();
  gl.sim.setLatency(0);
});
afterAll(() => gl.close());

const writes = () =>
  gl.sim.requests().filter((request) => request.method !== "GET" && request.path.includes("/notes"));
const noteRow = (p: NotesProject, iid: number, type: "GITLAB_ISSUE" | "GITLAB_MR" = "GITLAB_ISSUE") =>
  prisma.statusNote.findUniqueOrThrow({
    where: {
      featureId_gitlabProjectId_type_iid: {
        featureId: p.featureId,
        gitlabProjectId: seed.projectId,
        type,
        iid,
      },
    },
  });

/** A project whose feature is linked to issue #iid, with the note already created. */
async function linkedProject(iid: number, options: Parameters<typeof notesProject>[2] = {}) {
  const p = await notesProject(gl, seed, options);
  await linkItem(p, `#${iid}`);
  await drainUntilIdle();
  expect(statusNotes(gl, seed, iid, p.featureId)).toHaveLength(1);
  gl.sim.clearRequests();
  return p;
}

describe("one status note per feature and item, edited in place", () => {
  it("creates the note once when an item is linked, and sends nothing when nothing changed", async () => {
    const p = await notesProject(gl, seed);
    await linkItem(p, "#1");
    const [job] = await noteJobs({ integrationId: p.integrationId });
    const target = {
      featureId: p.featureId,
      gitlabProjectId: seed.projectId,
      type: "GITLAB_ISSUE" as const,
      iid: 1,
    };
    expect(job).toMatchObject({
      kind: STATUS_NOTE_JOB,
      status: "PENDING",
      projectId: p.projectId,
      concurrencyKey: statusNoteKey(p.integrationId, target),
    });
    expect(job!.payload).toEqual({ integrationId: p.integrationId, ...target });

    gl.sim.clearRequests();
    await drainUntilIdle();
    const [note] = statusNotes(gl, seed, 1, p.featureId);
    expect(note!.body).toContain(
      `### 🚩 Feature flag [${p.featureName.replace(/_/g, "\\_")}](http://localhost:3000/projects/${p.projectId}/environments/`,
    );
    expect(environmentRow(note!.body, "Development")).toMatch(
      /\| ❌ Disabled \| _no value_ \| \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \|$/,
    );
    expect(environmentRow(note!.body, "Production")).toContain("❌ Disabled");
    expect(note!.body).toContain("Maintained by Flagpost and edited automatically");
    // Looked for an earlier note of ours first (none), then posted.
    expect(gl.sim.requests().map((request) => `${request.method} ${request.status}`)).toEqual([
      "GET 200",
      "POST 201",
    ]);
    expect(await noteRow(p, 1)).toMatchObject({
      noteId: note!.id,
      integrationId: p.integrationId,
      finalisedAt: null,
      bodyHash: expect.any(String),
    });

    gl.sim.clearRequests();
    await enqueueJob(prisma, {
      kind: STATUS_NOTE_JOB,
      payload: job!.payload as never,
      groupKey: job!.groupKey,
      concurrencyKey: job!.concurrencyKey,
    });
    await drainUntilIdle();
    expect(gl.sim.requests()).toEqual([]);
  });

  it("edits the same note when the flag changes in one environment", async () => {
    const p = await linkedProject(1);
    const [before] = statusNotes(gl, seed, 1, p.featureId);
    const production = p.environments[1]!;
    await flags.setState(p, production, { enabled: true, feature_state_value: "blue" });
    await drainUntilIdle();
    const [after] = statusNotes(gl, seed, 1, p.featureId);
    expect(after!.id).toBe(before!.id);
    expect(environmentRow(after!.body, "Production")).toMatch(/\| ✅ Enabled \| `blue` \|/);
    expect(environmentRow(after!.body, "Development")).toContain("❌ Disabled");
    expect(after!.body).toMatch(
      /\*\*Recent changes\*\*\n\n- .* UTC · API key test key \d+: Enabled .* in Production and changed its value/,
    );
    expect(writes().map((request) => `${request.method} ${request.path}`)).toEqual([
      `PUT /projects/${seed.projectId}/issues/1/notes/${before!.id}`,
    ]);
  });

  it("shows segment overrides as they are added, changed and deleted", async () => {
    const p = await linkedProject(3);
    const segment = await flags.createSegment(p, "beta users");
    const override = await flags.addOverride(p, {
      environment: p.environments[1]!.id,
      segment: segment.id,
      enabled: true,
      feature_state_value: 3,
    });
    await drainUntilIdle();
    let [note] = statusNotes(gl, seed, 3, p.featureId);
    expect(note!.body).toContain("**Segment `beta users`**");
    expect(note!.body).toMatch(/\| \[Production\]\(.*tab=segment-overrides\) \| ✅ Enabled \| `3` \|/);

    await flags.updateOverride(p, override.id, { enabled: false, feature_state_value: 4 });
    await drainUntilIdle();
    [note] = statusNotes(gl, seed, 3, p.featureId);
    expect(note!.body).toMatch(/\| \[Production\]\(.*tab=segment-overrides\) \| ❌ Disabled \| `4` \|/);

    await flags.deleteOverride(p, override.id);
    await drainUntilIdle();
    const notes = statusNotes(gl, seed, 3, p.featureId);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).not.toContain("Segment `beta users`");
    expect(notes[0]!.body).toContain("Removed segment override beta users");
    expect(writes().map((request) => request.method)).toEqual(["PUT", "PUT", "PUT"]);
  });

  it("shows the multivariate split per environment and segment, and follows variant changes", async () => {
    const p = await linkedProject(3);
    const [development, production] = p.environments as [TestEnvironment, TestEnvironment];
    await flags.setState(p, production, { enabled: true, feature_state_value: "control" });
    const blue = await flags.createOption(p, {
      type: "unicode",
      string_value: "blue",
      default_percentage_allocation: 50,
    });
    const green = await flags.createOption(p, {
      type: "unicode",
      string_value: "green",
      default_percentage_allocation: 30,
    });
    await drainUntilIdle();
    let [note] = statusNotes(gl, seed, 3, p.featureId);
    expect(environmentRow(note!.body, "Production")).toContain(
      "| ✅ Enabled | 50% `blue` / 30% `green` / rest `control` |",
    );

    // Production's own weights replace the defaults there; Development keeps the defaults.
    await flags.setState(p, production, {
      multivariate_feature_state_values: [
        { multivariate_feature_option: blue.id, percentage_allocation: 60 },
        { multivariate_feature_option: green.id, percentage_allocation: 40 },
      ],
    });
    const segment = await flags.createSegment(p, "beta users");
    await flags.addOverride(p, {
      environment: production.id,
      segment: segment.id,
      enabled: true,
      feature_state_value: "beta",
      multivariate_feature_state_values: [
        { multivariate_feature_option: green.id, percentage_allocation: 25 },
      ],
    });
    await drainUntilIdle();
    [note] = statusNotes(gl, seed, 3, p.featureId);
    expect(environmentRow(note!.body, "Production")).toContain("| 60% `blue` / 40% `green` |");
    expect(environmentRow(note!.body, development.name)).toContain("50% `blue` / 30% `green` / rest ");
    expect(note!.body).toMatch(
      /\| \[Production\]\(.*tab=segment-overrides\) \| ✅ Enabled \| 25% `green` \/ rest `beta` \|/,
    );

    // A variant's value (or default weight) changing alone re-renders the note too.
    await flags.updateOption(p, blue.id, { string_value: "navy", default_percentage_allocation: 45 });
    await drainUntilIdle();
    [note] = statusNotes(gl, seed, 3, p.featureId);
    expect(environmentRow(note!.body, "Production")).toContain("| 60% `navy` / 40% `green` |");
    expect(environmentRow(note!.body, development.name)).toContain("45% `navy` / 30% `green` / rest ");
  });

  it("coalesces a burst of ten toggles into one edit per linked item, showing the final state", async () => {
    const p = await notesProject(gl, seed);
    await linkItem(p, "#6");
    await linkItem(p, "#7");
    await linkItem(p, "!1", "GITLAB_MR");
    await drainUntilIdle();
    gl.sim.clearRequests();
    const production = p.environments[1]!;
    for (let n = 1; n <= 10; n++)
      await flags.setState(p, production, { enabled: n % 2 === 1, feature_state_value: `v${n}` });
    expect(
      (await noteJobs({ integrationId: p.integrationId })).filter((job) => job.status === "PENDING"),
    ).toHaveLength(3);
    await drainUntilIdle();
    expect(writes().map((request) => request.method)).toEqual(["PUT", "PUT", "PUT"]);
    for (const [iid, kind] of [
      [6, "issue"],
      [7, "issue"],
      [1, "merge_request"],
    ] as const) {
      const notes = statusNotes(gl, seed, iid, p.featureId, kind);
      expect(notes).toHaveLength(1);
      expect(environmentRow(notes[0]!.body, "Production")).toMatch(/\| ❌ Disabled \| `v10` \|/);
    }
  });

  it("re-renders every linked feature's notes when an environment is renamed", async () => {
    const p = await linkedProject(1);
    await flags.renameEnvironment(p, p.environments[0]!, "Dev EU");
    await drainUntilIdle();
    const [note] = statusNotes(gl, seed, 1, p.featureId);
    expect(environmentRow(note!.body, "Dev EU")).toBeDefined();
    expect(environmentRow(note!.body, "Development")).toBeUndefined();
  });
});

describe("GitLab failing", () => {
  it("honours 429 Retry-After: the job waits as told, without using an attempt, then the note is right", async () => {
    const p = await linkedProject(2);
    // Two in a row: the client waits out the first (1 s) itself; the second goes back to the queue.
    gl.sim.injectFault({ status: 429, retryAfter: 1, count: 2, method: "PUT", pathPattern: "/notes/" });
    await flags.setState(p, p.environments[0]!, { enabled: true });
    await new Promise((resolve) => setTimeout(resolve, 80));
    await drainJobs({});
    const [job] = (await noteJobs({ integrationId: p.integrationId })).filter(
      (row) => row.status !== "SUCCEEDED",
    );
    expect(job).toMatchObject({ status: "PENDING", attempts: 0, lastError: expect.stringContaining("429") });
    // Rescheduled (at the release, which also stamped updatedAt) for Retry-After plus jitter.
    expect(job!.runAt.getTime() - job!.updatedAt.getTime()).toBeGreaterThanOrEqual(1000);

    await drainUntilIdle();
    expect(environmentRow(statusNotes(gl, seed, 2, p.featureId)[0]!.body, "Development")).toContain(
      "✅ Enabled",
    );
    expect(writes().map((request) => request.status)).toEqual([429, 429, 200]);
  });

  it("backs off on 5xx while GitLab is down, then delivers every change once", async () => {
    const p = await linkedProject(4);
    gl.sim.injectFault({ status: 503, count: -1, pathPattern: "/notes" });
    await flags.setState(p, p.environments[0]!, { feature_state_value: "during the outage" });
    for (let attempt = 1; attempt <= 3; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 80));
      await drainJobs({});
      const [job] = (await noteJobs({ integrationId: p.integrationId })).filter(
        (row) => row.status !== "SUCCEEDED",
      );
      // An outage uses no attempt (it must never end the job); its own count drives the backoff.
      expect(job).toMatchObject({
        status: "PENDING",
        attempts: 0,
        outageRetries: attempt,
        lastError: expect.stringContaining("503"),
      });
      // Exponential backoff with jitter: half to all of 2 s·2^(attempt-1) after the failure.
      const backoff = job!.runAt.getTime() - job!.updatedAt.getTime();
      expect(backoff).toBeGreaterThanOrEqual(2 ** (attempt - 1) * 1000);
      expect(backoff).toBeLessThanOrEqual(2 ** attempt * 1000);
      if (attempt === 2) await flags.setState(p, p.environments[0]!, { feature_state_value: "final" });
      await prisma.job.update({ where: { id: job!.id }, data: { runAt: new Date() } });
    }
    gl.sim.clearFaults();
    await drainUntilIdle();
    const notes = statusNotes(gl, seed, 4, p.featureId);
    expect(notes).toHaveLength(1);
    expect(environmentRow(notes[0]!.body, "Development")).toContain("`final`");
    expect(
      writes()
        .filter((request) => request.status < 300)
        .map((request) => request.method),
    ).toEqual(["PUT"]);
  });

  it("posts a new note when ours was deleted in GitLab, and edits that one from then on", async () => {
    const p = await linkedProject(5);
    const [old] = statusNotes(gl, seed, 5, p.featureId);
    gl.sim.store.notes.delete(old!.id);
    await flags.setState(p, p.environments[0]!, { enabled: true });
    await drainUntilIdle();
    const [replacement] = statusNotes(gl, seed, 5, p.featureId);
    expect(replacement!.id).not.toBe(old!.id);
    expect(environmentRow(replacement!.body, "Development")).toContain("✅ Enabled");
    expect((await noteRow(p, 5)).noteId).toBe(replacement!.id);

    gl.sim.clearRequests();
    await flags.setState(p, p.environments[0]!, { enabled: false });
    await drainUntilIdle();
    expect(writes().map((request) => `${request.method} ${request.path}`)).toEqual([
      `PUT /projects/${seed.projectId}/issues/5/notes/${replacement!.id}`,
    ]);
  });

  it("posts a new note when GitLab refuses the edit (403: the token now acts as another user), without pausing", async () => {
    const p = await linkedProject(6);
    const [old] = statusNotes(gl, seed, 6, p.featureId);
    // A Developer cannot edit someone else's note (a Maintainer could, as a moderator).
    const developer = newGitLabToken(gl, ACCESS_LEVEL.developer);
    expectStatus(
      await gitlabApi.update({ apiKey: p.apiKey }, p.projectId, p.integrationId, { access_token: developer }),
      200,
    );
    await flags.setState(p, p.environments[1]!, { enabled: true });
    await drainUntilIdle();
    expect(writes().map((request) => `${request.method} ${request.status}`)).toEqual(["PUT 403", "POST 201"]);
    const notes = statusNotes(gl, seed, 6, p.featureId);
    expect(notes).toHaveLength(2);
    const fresh = notes.find((note) => note.id !== old!.id)!;
    expect(fresh.author.username).toBe(gl.sim.tokenInfo(developer).username);
    expect(environmentRow(fresh.body, "Production")).toContain("✅ Enabled");
    expect((await noteRow(p, 6)).noteId).toBe(fresh.id);
    expect(
      await prisma.gitLabIntegration.findUniqueOrThrow({ where: { id: p.integrationId } }),
    ).toMatchObject({ tokenStatus: "VALID" });
  });

  it("pauses the integration when GitLab rejects the token (401); its jobs wait and resume after rotation", async () => {
    const p = await linkedProject(7);
    const [note] = statusNotes(gl, seed, 7, p.featureId);
    gl.sim.revokeToken(p.token);
    await flags.setState(p, p.environments[0]!, { feature_state_value: "while revoked" });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await drainJobs({})).toMatchObject({ paused: 1 });
    expect(
      await prisma.gitLabIntegration.findUniqueOrThrow({ where: { id: p.integrationId } }),
    ).toMatchObject({ tokenStatus: "INVALID" });
    const [waiting] = (await noteJobs({ integrationId: p.integrationId })).filter(
      (row) => row.status !== "SUCCEEDED",
    );
    expect(waiting).toMatchObject({ status: "PENDING", attempts: 0 });

    gl.sim.clearRequests();
    await drainJobs({});
    expect(gl.sim.requests()).toEqual([]);

    expectStatus(
      await gitlabApi.update({ apiKey: p.apiKey }, p.projectId, p.integrationId, {
        access_token: newGitLabToken(gl),
      }),
      200,
    );
    await drainUntilIdle();
    const [after] = statusNotes(gl, seed, 7, p.featureId);
    expect(after!.id).toBe(note!.id);
    expect(environmentRow(after!.body, "Development")).toContain("`while revoked`");
    expect((await prisma.job.findUniqueOrThrow({ where: { id: waiting!.id } })).status).toBe("SUCCEEDED");
  });
});

describe("the end of a note's life", () => {
  it("edits the note to say the flag was unlinked, then leaves it alone; linking again brings it back", async () => {
    const p = await linkedProject(1);
    const [note] = statusNotes(gl, seed, 1, p.featureId);
    const link = await prisma.externalResource.findFirstOrThrow({ where: { featureId: p.featureId } });
    expectStatus(await linksApi.unlink({ apiKey: p.apiKey }, p.projectId, p.featureId, link.id), 204);
    await drainUntilIdle();
    let [final] = statusNotes(gl, seed, 1, p.featureId);
    expect(final!.id).toBe(note!.id);
    expect(final!.body).toMatch(
      /was unlinked from this issue or merge request on .* UTC\. Flagpost no longer updates this comment\./,
    );
    expect(final!.body).not.toContain("| Environment |");
    expect((await noteRow(p, 1)).finalisedAt).not.toBeNull();

    gl.sim.clearRequests();
    await flags.setState(p, p.environments[0]!, { enabled: true });
    await drainUntilIdle();
    expect(gl.sim.requests()).toEqual([]);

    await linkItem(p, "#1");
    await drainUntilIdle();
    [final] = statusNotes(gl, seed, 1, p.featureId);
    expect(final!.id).toBe(note!.id);
    expect(environmentRow(final!.body, "Development")).toContain("✅ Enabled");
    expect((await noteRow(p, 1)).finalisedAt).toBeNull();
  });

  it("finishes quietly when the item itself was deleted in GitLab before the unlink", async () => {
    const p = await notesProject(gl, seed);
    const noted = gl.sim.createIssue(seed.projectId, {
      title: "Deleted after its note",
      author_id: seed.users.alice,
    }).iid as number;
    const never = gl.sim.createIssue(seed.projectId, {
      title: "Deleted before its note",
      author_id: seed.users.alice,
    }).iid as number;
    const first = await linkItem(p, `#${noted}`);
    await drainUntilIdle();
    const second = await linkItem(p, `#${never}`);
    for (const iid of [noted, never])
      gl.sim.store.issues.delete(gl.sim.store.issueByIid(seed.projectId, iid)!.id);
    for (const link of [first, second])
      expectStatus(await linksApi.unlink({ apiKey: p.apiKey }, p.projectId, p.featureId, link.id), 204);
    await drainUntilIdle();
    expect((await noteJobs({ integrationId: p.integrationId })).map((job) => job.status)).not.toContain(
      "FAILED",
    );
    expect(
      (await prisma.statusNote.findMany({ where: { featureId: p.featureId } })).map((row) => row.finalisedAt),
    ).toEqual([expect.any(Date), expect.any(Date)]);
  });

  it("says so on every linked item when the feature is deleted", async () => {
    const p = await notesProject(gl, seed);
    await linkItem(p, "#2");
    await linkItem(p, "!2", "GITLAB_MR");
    await drainUntilIdle();
    await flags.deleteFeature(p);
    await drainUntilIdle();
    for (const [iid, kind] of [
      [2, "issue"],
      [2, "merge_request"],
    ] as const) {
      const notes = statusNotes(gl, seed, iid, p.featureId, kind);
      expect(notes).toHaveLength(1);
      expect(notes[0]!.body).toContain(`Feature flag ${p.featureName.replace(/_/g, "\\_")}`);
      expect(notes[0]!.body).toMatch(/This feature flag was deleted on .* UTC/);
    }
    expect(await prisma.statusNote.count({ where: { featureId: p.featureId, finalisedAt: null } })).toBe(0);
  });

  it("treats an archived feature like a deleted one (no longer tracked) and brings the note back when restored", async () => {
    const p = await linkedProject(3);
    const [note] = statusNotes(gl, seed, 3, p.featureId);
    const { project } = await prisma.feature.findUniqueOrThrow({
      where: { id: p.featureId },
      include: { project: true },
    });
    // Archiving is issue 7's; its change is a feature update with an audit row like any other.
    const setArchived = (archived: boolean) =>
      prisma.$transaction(async (tx) => {
        await tx.feature.update({
          where: { id: p.featureId },
          data: { archivedAt: archived ? new Date() : null },
        });
        await recordAudit(
          tx,
          { kind: "system", label: "test" },
          {
            organisationId: project.organisationId,
            projectId: p.projectId,
            featureId: p.featureId,
            action: "UPDATE",
            entityType: "feature",
            entityId: p.featureId,
            summary: archived ? "Archived" : "Restored",
            changes: { is_archived: { from: !archived, to: archived } },
          },
        );
      });
    await setArchived(true);
    await drainUntilIdle();
    expect(statusNotes(gl, seed, 3, p.featureId)[0]!.body).toMatch(
      /was archived on .* UTC and is no longer tracked here/,
    );
    await setArchived(false);
    await drainUntilIdle();
    const [restored] = statusNotes(gl, seed, 3, p.featureId);
    expect(restored!.id).toBe(note!.id);
    expect(restored!.body).toContain("| Environment | Enabled | Value | Last updated (UTC) |");
  });
});

describe("user text in notes", () => {
  it("never runs a quick action, mentions anyone or breaks the table, whatever the names, values and description say", async () => {
    const quickActionsBefore = gl.sim.quickActions().length;
    const p = await notesProject(gl, seed, {
      environments: ["/close", "Prod | @all"],
      feature: { description: "/label ~bug\n/close\n@all look at #1" },
    });
    await linkItem(p, "#1");
    const segment = await flags.createSegment(p, "/lock");
    await flags.addOverride(p, {
      environment: p.environments[0]!.id,
      segment: segment.id,
      enabled: true,
      feature_state_value: "/reopen",
    });
    await flags.setState(p, p.environments[1]!, {
      enabled: true,
      feature_state_value: "/unassign @bob\n/close",
    });
    await drainUntilIdle();
    expect(gl.sim.quickActions().slice(quickActionsBefore)).toEqual([]);
    expect(gl.sim.getIssue(seed.projectId, 1)).toMatchObject({ state: "opened" });
    const [note] = statusNotes(gl, seed, 1, p.featureId);
    for (const line of note!.body.split("\n")) expect(line.trimStart().startsWith("/")).toBe(false);
    expect(note!.body).not.toMatch(/(^|[^\\])@all/);
    // Newlines are flattened: only the first slash starts a line.
    expect(note!.body).toContain("> \\/label \\~bug /close \\@all look at \\#1");
    const row = note!.body.split("\n").find((line) => line.startsWith("| [Prod"))!;
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(4);
  });
});

describe("new comment for every change (per-change style)", () => {
  async function perChangeProject(iid: number) {
    const p = await notesProject(gl, seed);
    expectStatus(
      await gitlabApi.update({ apiKey: p.apiKey }, p.projectId, p.integrationId, {
        comment_style: "PER_CHANGE",
      }),
      200,
    );
    await linkItem(p, `#${iid}`);
    await drainUntilIdle();
    return p;
  }
  const changeNotes = (iid: number) =>
    gl.sim
      .notes(seed.projectId, "issue", iid)
      .filter((note) => (note.body as string).includes("<!-- flagpost:change="));

  it("posts the full table on link, then one note per change naming environment, segment and old → new", async () => {
    const before = changeNotes(5).length;
    const p = await perChangeProject(5);
    const [table] = statusNotes(gl, seed, 5, p.featureId);
    expect(table!.body).toContain("| Environment | Enabled | Value | Last updated (UTC) |");
    gl.sim.clearRequests();

    await flags.setState(p, p.environments[1]!, { enabled: true });
    await flags.setState(p, p.environments[1]!, { feature_state_value: "blue" });
    const segment = await flags.createSegment(p, "beta");
    const override = await flags.addOverride(p, {
      environment: p.environments[0]!.id,
      segment: segment.id,
      enabled: true,
    });
    await flags.deleteOverride(p, override.id);
    await drainUntilIdle();

    const lines = changeNotes(5)
      .slice(before)
      .map((note) => (note.body as string).split("\n")[1]);
    expect(lines).toEqual([
      expect.stringMatching(
        /in \*\*Production\*\*: ❌ Disabled → ✅ Enabled · API key test key \d+, .* UTC$/,
      ),
      expect.stringMatching(/in \*\*Production\*\*: value _no value_ → `blue`/),
      expect.stringMatching(/in \*\*Development\*\* for segment \*\*beta\*\*: override added, ✅ Enabled/),
      expect.stringMatching(/in \*\*Development\*\* for segment \*\*beta\*\*: override deleted/),
    ]);
    // The table note stays as posted; nothing was edited.
    expect(writes().map((request) => request.method)).toEqual(["POST", "POST", "POST", "POST"]);
    expect(statusNotes(gl, seed, 5, p.featureId)[0]!.body).toBe(table!.body);
  });

  it("does not post a change twice when a run died between the POST and saving the cursor", async () => {
    const p = await perChangeProject(4);
    await flags.setState(p, p.environments[0]!, { enabled: true });
    await drainUntilIdle();
    const row = await noteRow(p, 4);
    const change = await prisma.auditLog.findFirstOrThrow({
      where: { featureId: p.featureId, entityType: "feature_state" },
      orderBy: { id: "desc" },
    });
    expect(row.lastChangeId).toBe(change.id);
    expect(changeNotes(4).filter((note) => hasChangeMarker(note.body as string, change.id))).toHaveLength(1);

    // As the crashed run left it: the note was posted, the cursor not moved.
    const previous = await prisma.auditLog.findFirstOrThrow({
      where: { featureId: p.featureId, id: { lt: change.id } },
      orderBy: { id: "desc" },
    });
    await prisma.statusNote.update({
      where: { id: row.id },
      data: { lastChangeId: previous.id, postingChangeId: change.id },
    });
    const [job] = await noteJobs({ integrationId: p.integrationId });
    await enqueueJob(prisma, {
      kind: STATUS_NOTE_JOB,
      payload: job!.payload as never,
      groupKey: job!.groupKey,
      concurrencyKey: job!.concurrencyKey,
      coalesce: true,
    });
    gl.sim.clearRequests();
    await drainUntilIdle();
    expect(writes()).toEqual([]);
    expect(changeNotes(4).filter((note) => hasChangeMarker(note.body as string, change.id))).toHaveLength(1);
    expect(await noteRow(p, 4)).toMatchObject({ lastChangeId: change.id, postingChangeId: null });
  });
});

describe("outbox", () => {
  it("queues one job per linked item with a committed change, and none with a rolled-back one", async () => {
    const p = await notesProject(gl, seed);
    await linkItem(p, "#1");
    await linkItem(p, "#2");
    await drainUntilIdle();
    const jobsBefore = (await noteJobs({ integrationId: p.integrationId })).length;

    const state = await prisma.featureState.findFirstOrThrow({
      where: { featureId: p.featureId, environmentId: p.environments[0]!.id },
    });
    const { project } = await prisma.feature.findUniqueOrThrow({
      where: { id: p.featureId },
      include: { project: true },
    });
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.featureState.update({ where: { id: state.id }, data: { enabled: true } });
        await recordAudit(
          tx,
          { kind: "system", label: "test" },
          {
            organisationId: project.organisationId,
            projectId: p.projectId,
            environmentId: p.environments[0]!.id,
            featureId: p.featureId,
            action: "UPDATE",
            entityType: "feature_state",
            entityId: state.id,
            summary: "Enabled",
            changes: { enabled: { from: false, to: true } },
          },
        );
        throw new Error("refused after the audit row");
      }),
    ).rejects.toThrow("refused after the audit row");
    expect(await noteJobs({ integrationId: p.integrationId })).toHaveLength(jobsBefore);
    expect((await prisma.featureState.findUniqueOrThrow({ where: { id: state.id } })).enabled).toBe(false);

    await flags.setState(p, p.environments[0]!, { enabled: true });
    const queued = (await noteJobs({ integrationId: p.integrationId })).slice(jobsBefore);
    expect(queued.map((job) => job.payload)).toEqual([
      {
        integrationId: p.integrationId,
        featureId: p.featureId,
        gitlabProjectId: seed.projectId,
        type: "GITLAB_ISSUE",
        iid: 1,
      },
      {
        integrationId: p.integrationId,
        featureId: p.featureId,
        gitlabProjectId: seed.projectId,
        type: "GITLAB_ISSUE",
        iid: 2,
      },
    ]);
  });

  it("queues for what notes show (states, names, environments, segment names) and nothing else", async () => {
    const p = await notesProject(gl, seed);
    await linkItem(p, "#7");
    await drainUntilIdle();
    const pending = async () =>
      (await noteJobs({ integrationId: p.integrationId })).filter((job) => job.status === "PENDING").length;
    const segment = await flags.createSegment(p, "staff");
    await flags.updateSegment(p, segment.id, {
      rules: [{ type: "ALL", rules: [] }],
      description: "not shown",
    });
    await flags.updateFeature(p, { default_enabled: true, initial_value: "x" });
    expect(await pending()).toBe(0);
    await flags.updateSegment(p, segment.id, { name: "staff only" });
    expect(await pending()).toBe(1);
    await drainUntilIdle();
    await flags.updateFeature(p, { description: "Now described" });
    expect(await pending()).toBe(1);
    await drainUntilIdle();
    expect(statusNotes(gl, seed, 7, p.featureId)[0]!.body).toContain("> Now described");
  });
});

describe("two workers", () => {
  it("never run one note's job twice at once: each note is created once and edited once", async () => {
    const p = await notesProject(gl, seed);
    const iids: number[] = [];
    for (let n = 0; n < 10; n++)
      iids.push(
        gl.sim.createIssue(seed.projectId, { title: `Race ${n}`, author_id: seed.users.alice }).iid as number,
      );
    for (const iid of iids) await linkItem(p, `#${iid}`);
    await new Promise((resolve) => setTimeout(resolve, 80));
    gl.sim.clearRequests();
    const race = () =>
      Promise.all([
        drainJobs({ workerId: "worker-a", batchSize: 3, parallelism: 2 }),
        drainJobs({ workerId: "worker-b", batchSize: 3, parallelism: 2 }),
      ]);
    const [a, b] = await race();
    expect(a.succeeded + b.succeeded).toBe(10);
    for (const iid of iids) expect(statusNotes(gl, seed, iid, p.featureId)).toHaveLength(1);
    expect(writes().map((request) => request.method)).toEqual(Array(10).fill("POST"));

    gl.sim.clearRequests();
    await flags.setState(p, p.environments[0]!, { enabled: true });
    await new Promise((resolve) => setTimeout(resolve, 80));
    await race();
    expect(writes().map((request) => request.method)).toEqual(Array(10).fill("PUT"));
    for (const iid of iids)
      expect(environmentRow(statusNotes(gl, seed, iid, p.featureId)[0]!.body, "Development")).toContain(
        "✅ Enabled",
      );
  });
});
