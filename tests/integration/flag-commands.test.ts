import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DemoSeed } from "@/tools/gitlab-sim/seed";
import { startGitLabSimulator, type GitLabSimulator } from "@/tools/gitlab-sim/server";
import { prisma } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { valueForType } from "@/lib/gitlab/commands/run-command";
import { expectStatus } from "@/tests/support/flags";
import { gitlabApi } from "@/tests/support/gitlab";
import { drainUntilIdle, linkItem, type NotesProject } from "@/tests/support/gitlab-notes";
import { startWebhookReceiver } from "@/tests/support/gitlab-webhooks";
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
  const info = gl.sim.tokenInfo(p.token);
  return { ...p, bot: { id: info.user_id, username: info.username }, issue };
}

/** Comments as a user in a new thread, runs the worker, and returns the thread's notes. */
async function comment(p: CommandsProject, user: number, body: string, iid = p.issue) {
  const { note, deliveries } = await gl.sim.addNote(
    seed.projectId,
    "issue",
    iid,
    { body, thread: true },
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
});
