import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoSeed } from "@/tools/gitlab-sim/seed";
import { startGitLabSimulator, type GitLabSimulator } from "@/tools/gitlab-sim/server";
import { prisma } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { commandReplyMarker, runFlagCommand, valueForType } from "@/lib/gitlab/commands/run-command";
import type { ClaimedJob } from "@/lib/jobs/queue";
import { createFeature } from "@/tests/support/flags";
import { expectStatus } from "@/tests/support/flags";
import { gitlabApi } from "@/tests/support/gitlab";
import { drainUntilIdle, linkItem, type NotesProject } from "@/tests/support/gitlab-notes";
import { SECRET, startWebhookReceiver } from "@/tests/support/gitlab-webhooks";
import { rulesProject, stateIn, type Receiver } from "@/tests/support/release-rules";

// Flag commands in GitLab comments, end to end: people comment in the simulator, its Note Hooks
// reach the real route handler, the real worker checks their role with the simulator's members
// API, changes the flag and replies in the comment's thread.

process.env.FLAGPOST_JOB_DEBOUNCE_MS = "0";
resetEnvForTests();

let gl: GitLabSimulator;
let seed: DemoSeed;
let receiver: Receiver;

beforeAll(async () => {
  gl = await startGitLabSimulator({ port: 0 });
  seed = gl.sim.seedDemo();
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  await gl?.close();
  await receiver?.close();
});

interface CommandsProject extends NotesProject {
  bot: { id: number; username: string };
  issue: number;
}

async function commandsProject(): Promise<CommandsProject> {
  const p = await rulesProject(gl, seed, receiver, { releaseRules: false });
  expectStatus(
    await gitlabApi.update({ apiKey: p.apiKey }, p.projectId, p.integrationId, { commands_enabled: true }),
    200,
  );
  const issue = gl.sim.createIssue(seed.projectId, { title: "Commands", author_id: seed.users.alice })
    .iid as number;
  await linkItem(p, `#${issue}`);
  // GitLab delivers internal notes and notes on confidential issues to hooks that opt into them.
  gl.sim.registerHook(seed.projectId, {
    url: `${receiver.url}/api/v1/gitlab-webhook/${p.projectId}/`,
    token: SECRET,
    confidential_note_events: true,
    note_events: false,
    issues_events: false,
    merge_requests_events: false,
    push_events: false,
  });
  const info = gl.sim.tokenInfo(p.token);
  return { ...p, bot: { id: info.user_id, username: info.username }, issue };
}

/** Comments as a user in a new thread, runs the worker, and returns the thread's notes. */
async function comment(p: CommandsProject, user: number, body: string, iid = p.issue, internal = false) {
  const { note, deliveries } = await gl.sim.addNote(
    seed.projectId,
    "issue",
    iid,
    { body, thread: true, internal },
    { userId: user },
  );
  await drainUntilIdle();
  const thread = gl.sim
    .discussions(seed.projectId, "issue", iid)
    .find((discussion) => discussion.notes.some((entry: { id: number }) => entry.id === note.id))!;
  const mine = deliveries.find((delivery) => delivery.url.includes(`/gitlab-webhook/${p.projectId}/`))!;
  return {
    note,
    delivery: mine,
    answer: JSON.parse(mine.response!.body),
    replies: thread.notes.slice(1) as { body: string; author: { username: string } }[],
  };
}

const commandsOf = (p: CommandsProject) =>
  prisma.flagCommand.findMany({ where: { integrationId: p.integrationId }, orderBy: { id: "asc" } });

describe("flag commands in GitLab comments", () => {
  it("a Developer changes an unprotected environment but not a protected one; a Maintainer can", async () => {
    const p = await commandsProject();
    const [dev, prod] = p.environments;
    const done = await comment(p, seed.users.bob, `@${p.bot.username} enable in development`);
    expect(done.answer).toMatchObject({ status: "queued" });
    expect((await stateIn(p.featureId, dev!.id)).enabled).toBe(true);
    expect(done.replies).toEqual([
      expect.objectContaining({
        author: expect.objectContaining({ username: p.bot.username }),
        body: expect.stringContaining(
          `@bob Done: ${p.featureName.replace(/_/g, "\\_")} is now enabled in Development`,
        ),
      }),
    ]);
    const audit = await prisma.auditLog.findFirstOrThrow({
      where: { featureId: p.featureId, entityType: "feature_state" },
    });
    expect(audit).toMatchObject({ actorLabel: `@bob in GitLab (comment on #${p.issue})` });

    const refused = await comment(
      p,
      seed.users.bob,
      `@${p.bot.username} enable ${p.featureName} in Production`,
    );
    expect(refused.replies[0]!.body).toContain(
      "Nothing changed: @bob needs at least the Maintainer role on this GitLab project to change Production (a protected environment); you have Developer.",
    );
    expect((await stateIn(p.featureId, prod!.id)).enabled).toBe(false);

    await comment(p, seed.users.alice, `@${p.bot.username} enable in PRODUCTION`);
    expect((await stateIn(p.featureId, prod!.id)).enabled).toBe(true);
    expect((await commandsOf(p)).map((row) => row.status)).toEqual(["APPLIED", "REFUSED", "APPLIED"]);
  });

  it("ignores the bot's own notes, code blocks, quotes and edits; a replayed Note Hook never acts twice", async () => {
    const p = await commandsProject();
    const [dev] = p.environments;
    const own = await comment(p, p.bot.id, `@${p.bot.username} enable in Development`);
    expect(own.answer).toEqual({ status: "ignored", reason: "Flagpost's own note" });
    const fenced = await comment(
      p,
      seed.users.alice,
      "```\n@" + p.bot.username + " enable in Development\n```",
    );
    expect(fenced.answer).toMatchObject({
      status: "ignored",
      reason: "No command for Flagpost in this note",
    });
    const quoted = await comment(p, seed.users.alice, `> @${p.bot.username} enable in Development`);
    expect(quoted.answer).toMatchObject({ status: "ignored" });
    expect((await stateIn(p.featureId, dev!.id)).enabled).toBe(false);

    const first = await comment(p, seed.users.alice, `@${p.bot.username} enable in Development`);
    expect((await stateIn(p.featureId, dev!.id)).enabled).toBe(true);
    await prisma.featureState.update({
      where: { id: (await stateIn(p.featureId, dev!.id)).id },
      data: { enabled: false },
    });
    const resent = await gl.sim.resendDelivery(first.delivery.id);
    expect(JSON.parse(resent.response!.body)).toEqual({ status: "duplicate" });
    const edited = await gl.sim.editNote(
      seed.projectId,
      "issue",
      p.issue,
      first.note.id,
      { body: `@${p.bot.username} enable in Development!` },
      { userId: seed.users.alice },
    );
    const editAnswer = edited.deliveries.find((delivery) => delivery.url.includes(`/${p.projectId}/`))!;
    expect(JSON.parse(editAnswer.response!.body)).toMatchObject({ status: "ignored" });
    await drainUntilIdle();
    expect((await stateIn(p.featureId, dev!.id)).enabled).toBe(false);
    expect(await commandsOf(p)).toHaveLength(1);
    // Exactly one reply: the bot's reply came back as a Note Hook and was ignored (no loop).
    expect(first.replies).toHaveLength(1);
  });

  it("answers bad input with exactly what was wrong, and rate-limits floods", async () => {
    const p = await commandsProject();
    const at = `@${p.bot.username}`;
    const reply = async (text: string, iid?: number) =>
      (await comment(p, seed.users.alice, text, iid)).replies[0]?.body ?? "";
    expect(await reply(`${at} enable in Staging`)).toContain(
      "There is no environment `Staging`; environments: `Development`, `Production`.",
    );
    expect(await reply(`${at} enable no_such_flag in Development`)).toContain(
      "There is no feature `no_such_flag`",
    );
    expect(await reply(`${at} launch in Development`)).toContain("Unknown command `launch`");
    expect(await reply(`${at} status`)).toContain("Development: ❌ disabled");
    const unlinked = gl.sim.createIssue(seed.projectId, { title: "Unlinked", author_id: seed.users.alice })
      .iid as number;
    expect(await reply(`${at} enable in Development`, unlinked)).toContain(
      "Nothing changed: This issue is not linked to any feature flag",
    );
    expect(valueForType("12", false, "INTEGER", "limit")).toBe(12);
    expect(() => valueForType("many", false, "INTEGER", "limit")).toThrow(
      "`many` is not a whole number: limit takes whole numbers.",
    );
    expect(() => valueForType("yes", false, "BOOLEAN", "dark")).toThrow("`yes` is not a boolean");
    expect(
      await prisma.auditLog.count({ where: { featureId: p.featureId, entityType: "feature_state" } }),
    ).toBe(0);

    expect(await reply(`${at} status ${p.featureName}`)).toContain("Production: ❌ disabled");
    // Five commands on this item in the last minute already: the sixth is refused with a reply.
    const flood = await reply(`${at} enable in Development`);
    expect(flood).toContain("Too many commands on this item");
    expect((await stateIn(p.featureId, p.environments[0]!.id)).enabled).toBe(false);
  });

  it("names the Flagpost user linked to the commenter's GitLab username; the GitLab role still decides", async () => {
    const p = await commandsProject();
    const [dev] = p.environments;
    const project = await prisma.project.findUniqueOrThrow({ where: { id: p.projectId } });
    const admin = await prisma.user.findFirstOrThrow({
      where: { organisationMemberships: { some: { organisationId: project.organisationId, role: "ADMIN" } } },
    });
    // An organisation admin in Flagpost, a Reporter in GitLab: the link grants nothing.
    await prisma.user.update({
      where: { id: admin.id },
      data: { name: "Carol Smith", gitlabUsername: "carol" },
    });
    const refused = await comment(p, seed.users.carol, `@${p.bot.username} enable in Development`);
    expect(refused.replies[0]!.body).toContain(
      "Nothing changed: @carol needs at least the Developer role on this GitLab project to change Development; you have Reporter.",
    );
    expect((await stateIn(p.featureId, dev!.id)).enabled).toBe(false);

    await prisma.user.update({ where: { id: admin.id }, data: { name: "Bob Smith", gitlabUsername: "BOB" } });
    await comment(p, seed.users.bob, `@${p.bot.username} enable in Development`);
    expect((await stateIn(p.featureId, dev!.id)).enabled).toBe(true);
    const audit = await prisma.auditLog.findFirstOrThrow({
      where: { featureId: p.featureId, entityType: "feature_state" },
    });
    expect(audit).toMatchObject({
      actorLabel: `Bob Smith (@bob in GitLab, comment on #${p.issue})`,
      actorUserId: admin.id,
    });
  });

  it("a rerun after a crash between posting the reply and saving its id adopts the reply: one reply", async () => {
    const p = await commandsProject();
    const first = await comment(p, seed.users.bob, `@${p.bot.username} enable in Development`);
    expect(first.replies).toHaveLength(1);
    expect(first.replies[0]!.body).toContain(commandReplyMarker(first.note.id));
    const [command] = await commandsOf(p);
    const replyNoteId = command!.replyNoteId;
    // The crash: GitLab has the reply, Flagpost never recorded it; the job runs again.
    await prisma.flagCommand.update({ where: { id: command!.id }, data: { replyNoteId: null } });
    await runFlagCommand({ payload: { commandId: command!.id } } as ClaimedJob<{ commandId: number }>);
    const thread = gl.sim
      .discussions(seed.projectId, "issue", p.issue)
      .find((discussion) => discussion.notes.some((entry: { id: number }) => entry.id === first.note.id))!;
    expect(thread.notes).toHaveLength(2);
    expect((await prisma.flagCommand.findUniqueOrThrow({ where: { id: command!.id } })).replyNoteId).toBe(
      replyNoteId,
    );
  });

  it("refuses ambiguous names and values that do not fit the flag's type, in a reply, changing nothing", async () => {
    const p = await commandsProject();
    const at = `@${p.bot.username}`;
    const reply = async (text: string, iid?: number) =>
      (await comment(p, seed.users.alice, text, iid)).replies[0]?.body ?? "";
    const { id: limitId, name: limitName } = await createFeature(p.apiKey, p.projectId, {
      name: `limit_${Math.random().toString(36).slice(2, 8)}`,
      initial_value: 5,
    });
    await linkItem(p, `#${p.issue}`, "GITLAB_ISSUE", limitId);
    const escaped = (name: string) => `\`${name}\``;
    expect(await reply(`${at} enable in Development`)).toContain(
      `Nothing changed: Several features are linked to this issue (`,
    );
    expect(await reply(`${at} set ${limitName} to many in Development`)).toContain(
      `Nothing changed: ${escaped("many")} is not a whole number: ${limitName} takes whole numbers.`,
    );
    expect(await reply(`${at} set ${limitName} to "7" in Development`)).toContain("is not a whole number");
    // Two environments whose names differ only in case: say which.
    await prisma.environment.create({
      data: { projectId: p.projectId, name: "development", apiKey: `dup${Date.now()}` },
    });
    expect(await reply(`${at} enable ${p.featureName} in DEVELOPMENT`)).toContain(
      "`DEVELOPMENT` is ambiguous: `Development`, `development`. Write the exact name.",
    );
    expect(
      await prisma.auditLog.count({ where: { projectId: p.projectId, entityType: "feature_state" } }),
    ).toBe(0);
  });

  it("rate-limits one person's flood across items, with a reply", async () => {
    const p = await commandsProject();
    const bob = seed.users.bob;
    await prisma.flagCommand.createMany({
      data: Array.from({ length: 20 }, (_, index) => ({
        projectId: p.projectId,
        integrationId: p.integrationId,
        noteId: 9_000_000 + p.integrationId * 100 + index,
        gitlabProjectId: seed.projectId,
        type: "GITLAB_ISSUE" as const,
        iid: 10_000 + index,
        authorId: bob,
        authorUsername: "bob",
        line: "@bot status",
        status: "APPLIED" as const,
        replyNoteId: 1,
      })),
    });
    const flood = await comment(p, bob, `@${p.bot.username} enable in Development`);
    expect(flood.replies[0]!.body).toContain(
      "Nothing changed: Too many commands from @bob: at most 20 in ten minutes.",
    );
    expect((await stateIn(p.featureId, p.environments[0]!.id)).enabled).toBe(false);
  });

  it("internal notes are ignored unless configured; confidential issues only when opted in", async () => {
    const p = await commandsProject();
    const [dev, prod] = p.environments;
    const at = `@${p.bot.username}`;
    // GitLab sends internal notes and every note on a confidential issue as a Confidential Note Hook.
    const confidentialComment = async (user: number, body: string, iid: number, internal: boolean) => {
      const sent = await comment(p, user, body, iid, internal);
      expect(sent.delivery.event).toBe("Confidential Note Hook");
      return sent;
    };
    const internal = await confidentialComment(seed.users.bob, `${at} enable in Development`, p.issue, true);
    expect(internal.answer).toEqual({
      status: "ignored",
      reason: "Commands in internal notes are ignored for this project",
    });
    expectStatus(
      await gitlabApi.update({ apiKey: p.apiKey }, p.projectId, p.integrationId, {
        commands_ignore_internal: false,
      }),
      200,
    );
    const allowed = await confidentialComment(seed.users.bob, `${at} enable in Development`, p.issue, true);
    expect(allowed.answer).toMatchObject({ status: "queued" });
    expect((await stateIn(p.featureId, dev!.id)).enabled).toBe(true);
    expect(allowed.replies[0]!.body).toContain("Done:");

    expectStatus(
      await gitlabApi.update({ apiKey: p.apiKey }, p.projectId, p.integrationId, {
        commands_ignore_internal: true,
      }),
      200,
    );
    const secret = gl.sim.createIssue(seed.projectId, {
      title: "Secret",
      author_id: seed.users.alice,
      confidential: true,
    }).iid as number;
    await linkItem(p, `#${secret}`);
    // A public (not internal) comment on a confidential issue: the opt-in decides, not the internal setting.
    const command = `${at} enable ${p.featureName} in Production`;
    const off = await confidentialComment(seed.users.alice, command, secret, false);
    expect(off.replies[0]!.body).toContain(
      "Nothing changed: Flag commands are turned off on confidential issues for this project.",
    );
    expect((await stateIn(p.featureId, prod!.id)).enabled).toBe(false);
    expectStatus(
      await gitlabApi.update({ apiKey: p.apiKey }, p.projectId, p.integrationId, {
        commands_on_confidential: true,
      }),
      200,
    );
    await confidentialComment(seed.users.alice, command, secret, false);
    expect((await stateIn(p.featureId, prod!.id)).enabled).toBe(true);
  });
});
