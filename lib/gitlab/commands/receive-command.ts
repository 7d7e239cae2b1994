import "server-only";
import { z } from "zod";
import { prisma } from "@/lib/db/client";
import type { GitLabIntegration } from "@/lib/generated/prisma/client";
import { integrationJobGroup } from "@/lib/gitlab/integration/job-group";
import { enqueueJob } from "@/lib/jobs/queue";
import { defineJobKind } from "@/lib/jobs/registry";
import { parseFlagComment } from "@/lib/vcs/flag-commands";

// A Note Hook that may carry a flag command (`@bot enable fast_cart in Staging`). The request only
// reads the verified body and touches the database: it records the command once per note (unique
// (integration, note): edits, redeliveries and duplicate hooks find it taken) and queues the job
// that checks the commenter's GitLab role, applies the change and replies in the thread.
// Ignored: notes of the token's own user, edits, system notes, internal notes (when configured),
// confidential issues (unless opted in), and comments with no command addressed to the bot.

const FLAG_COMMAND_JOB = "gitlab.flag-command";
export const flagCommandJob = defineJobKind(FLAG_COMMAND_JOB, z.object({ commandId: z.number().int() }));

/** At most this many commands per item per minute, and per user per ten minutes; more get a refusal. */
const COMMANDS_PER_ITEM_PER_MINUTE = 5;
const COMMANDS_PER_USER_PER_10_MINUTES = 20;

const id = z.number().int().positive();
const noteHookSchema = z.object({
  event_type: z.string().nullish(),
  user: z.object({ id, username: z.string().max(255) }),
  project: z.object({ id }).nullish(),
  project_id: id.nullish(),
  object_attributes: z.object({
    id,
    note: z.string().max(1_000_000),
    noteable_type: z.string(),
    author_id: id.nullish(),
    discussion_id: z.string().max(100).nullish(),
    internal: z.boolean().nullish(),
    confidential: z.boolean().nullish(),
    system: z.boolean().nullish(),
    action: z.string().nullish(),
    created_at: z.string().nullish(),
    updated_at: z.string().nullish(),
  }),
  issue: z.object({ iid: id, confidential: z.boolean().nullish() }).nullish(),
  merge_request: z.object({ iid: id }).nullish(),
});

export type NoteCommandOutcome =
  { status: "ignored"; reason: string } | { status: "duplicate" } | { status: "queued"; command: number };

export async function receiveNoteCommand(
  integration: GitLabIntegration,
  body: string,
): Promise<NoteCommandOutcome> {
  let parsed: z.infer<typeof noteHookSchema>;
  try {
    const result = noteHookSchema.safeParse(JSON.parse(body));
    if (!result.success) return { status: "ignored", reason: "Not a note Flagpost reads commands from" };
    parsed = result.data;
  } catch {
    return { status: "ignored", reason: "Not a note Flagpost reads commands from" };
  }
  const attrs = parsed.object_attributes;
  const type =
    attrs.noteable_type === "Issue" && parsed.issue
      ? ("GITLAB_ISSUE" as const)
      : attrs.noteable_type === "MergeRequest" && parsed.merge_request
        ? ("GITLAB_MR" as const)
        : null;
  if (!type) return { status: "ignored", reason: "Commands are read on issues and merge requests only" };
  const iid = type === "GITLAB_ISSUE" ? parsed.issue!.iid : parsed.merge_request!.iid;
  const gitlabProjectId = parsed.project?.id ?? parsed.project_id ?? integration.gitlabProjectId;
  if (!gitlabProjectId) return { status: "ignored", reason: "The note names no project" };
  // The author is who GitLab says wrote the note (the verified body's user), never the text.
  const authorId = attrs.author_id ?? parsed.user.id;
  if (authorId !== parsed.user.id)
    return { status: "ignored", reason: "The note was changed by someone else" };
  if (integration.tokenUserId !== null && authorId === integration.tokenUserId)
    return { status: "ignored", reason: "Flagpost's own note" };
  if (attrs.system) return { status: "ignored", reason: "System note" };
  const edited = attrs.action
    ? attrs.action !== "create"
    : !!attrs.updated_at && attrs.updated_at !== attrs.created_at;
  if (edited) return { status: "ignored", reason: "An edited note never runs a command" };
  // GitLab sends every note on a confidential issue as a "confidential_note" too: there, only the
  // note's own flags say whether it is internal (the confidential-issue opt-in decides the rest).
  const internal =
    !!attrs.internal ||
    !!attrs.confidential ||
    (parsed.event_type === "confidential_note" && !parsed.issue?.confidential);
  if (internal && integration.commandsIgnoreInternal)
    return { status: "ignored", reason: "Commands in internal notes are ignored for this project" };
  const comment = parseFlagComment(attrs.note, integration.tokenUsername);
  if (comment.kind === "none") return { status: "ignored", reason: "No command for Flagpost in this note" };

  let refusal: string | null = comment.kind === "invalid" ? comment.reason : null;
  if (!refusal && parsed.issue?.confidential && !integration.commandsOnConfidential)
    refusal = "Flag commands are turned off on confidential issues for this project.";
  return prisma.$transaction(async (tx) => {
    const where = { integrationId: integration.id };
    const [perItem, perUser] = await Promise.all([
      tx.flagCommand.count({
        where: { ...where, gitlabProjectId, type, iid, createdAt: { gt: new Date(Date.now() - 60_000) } },
      }),
      tx.flagCommand.count({
        where: { ...where, authorId, createdAt: { gt: new Date(Date.now() - 600_000) } },
      }),
    ]);
    if (!refusal && perItem >= COMMANDS_PER_ITEM_PER_MINUTE)
      refusal = `Too many commands on this item: at most ${COMMANDS_PER_ITEM_PER_MINUTE} a minute. Try again in a minute.`;
    if (!refusal && perUser >= COMMANDS_PER_USER_PER_10_MINUTES)
      refusal = `Too many commands from @${parsed.user.username}: at most ${COMMANDS_PER_USER_PER_10_MINUTES} in ten minutes.`;
    const [row] = await tx.$queryRaw<{ id: number }[]>`
      INSERT INTO flag_commands (project_id, integration_id, note_id, gitlab_project_id, type, iid, discussion_id,
                                 author_id, author_username, line, status, result)
      VALUES (${integration.projectId}, ${integration.id}, ${attrs.id}, ${gitlabProjectId}, ${type}::"ExternalResourceType",
              ${iid}, ${attrs.discussion_id ?? null}, ${authorId}, ${parsed.user.username},
              ${comment.line.slice(0, 500)}, ${refusal ? "REFUSED" : "PENDING"}::"FlagCommandStatus", ${refusal})
      ON CONFLICT (integration_id, note_id) DO NOTHING
      RETURNING id`;
    if (!row) return { status: "duplicate" as const };
    await enqueueJob(tx, {
      kind: FLAG_COMMAND_JOB,
      payload: { commandId: row.id },
      projectId: integration.projectId,
      groupKey: integrationJobGroup(integration.id),
      concurrencyKey: `flag-command:${row.id}`,
      maxAttempts: 12,
    });
    return { status: "queued" as const, command: row.id };
  });
}
