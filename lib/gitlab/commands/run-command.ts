import "server-only";
import { prisma } from "@/lib/db/client";
import { applyFeatureStateChange } from "@/lib/flags/feature-states";
import { fromStoredValue } from "@/lib/flags/flag-values";
import type { Environment, FlagCommand, GitLabIntegration, ValueType } from "@/lib/generated/prisma/client";
import { gitlabClientForIntegration, type GitLabClient } from "@/lib/gitlab/client/client";
import type { ClaimedJob } from "@/lib/jobs/queue";
import { gitlabActorName, linkedUserForGitLabUsername } from "@/lib/organisations/gitlab-usernames";
import type { FlagValue } from "@/lib/validations/common";
import { COMMAND_HELP, parseFlagComment, type FlagCommand as Command } from "@/lib/vcs/flag-commands";
import { escapeInline } from "@/lib/vcs/markdown";
import { formatValue } from "@/lib/vcs/status-comment";

// The job behind a flag command: resolve the feature and environment, check the commenter's role
// on the GitLab project through the API, apply the change through lib/flags (audited, attributed
// to the GitLab user) and reply in the comment's discussion thread. The command row is locked and
// moved out of PENDING in the change's transaction, so a job run twice never changes twice; the
// reply is sent until its note id is saved.

const ROLE_NAMES: Record<number, string> = {
  10: "Guest",
  15: "Planner",
  20: "Reporter",
  30: "Developer",
  40: "Maintainer",
  50: "Owner",
};
const roleName = (level: number) => ROLE_NAMES[level] ?? `access level ${level}`;

/** The minimum GitLab access level for commands on an environment. */
function requiredAccessLevel(
  integration: Pick<GitLabIntegration, "commandRoles">,
  environment: Pick<Environment, "id" | "protected">,
): number {
  const configured = (integration.commandRoles as Record<string, unknown> | null)?.[String(environment.id)];
  if (typeof configured === "number") return configured;
  return environment.protected ? 40 : 30;
}

class Refusal extends Error {}

/** A command's value read as the feature's type: booleans, whole numbers or text. */
export function valueForType(raw: string, quoted: boolean, type: ValueType, featureName: string): FlagValue {
  if (type === "BOOLEAN") {
    if (!quoted && /^(true|false)$/i.test(raw)) return raw.toLowerCase() === "true";
    throw new Refusal(`\`${raw}\` is not a boolean: ${featureName} takes \`true\` or \`false\`.`);
  }
  if (type === "INTEGER") {
    const number = Number(raw);
    if (!quoted && /^-?\d{1,10}$/.test(raw) && Math.abs(number) <= 2_147_483_647) return number;
    throw new Refusal(`\`${raw}\` is not a whole number: ${featureName} takes whole numbers.`);
  }
  return raw;
}

const list = (names: string[]) => names.map((name) => `\`${name}\``).join(", ");

async function resolve(command: FlagCommand, parsed: Command) {
  const links = await prisma.externalResource.findMany({
    where: {
      gitlabProjectId: command.gitlabProjectId,
      type: command.type,
      iid: command.iid,
      feature: { projectId: command.projectId, archivedAt: null },
    },
    include: { feature: true },
    orderBy: { featureId: "asc" },
  });
  const noun = command.type === "GITLAB_MR" ? "merge request" : "issue";
  if (links.length === 0)
    throw new Refusal(`This ${noun} is not linked to any feature flag, so there is nothing to change.`);
  const linked = links.map((link) => link.feature);
  let feature = linked[0]!;
  if (parsed.feature) {
    const found = linked.find((candidate) => candidate.name.toLowerCase() === parsed.feature!.toLowerCase());
    if (!found) {
      const exists = await prisma.feature.findFirst({
        where: { projectId: command.projectId, name: { equals: parsed.feature, mode: "insensitive" } },
      });
      throw new Refusal(
        exists
          ? `\`${parsed.feature}\` is not linked to this ${noun}; linked: ${list(linked.map((f) => f.name))}.`
          : `There is no feature \`${parsed.feature}\`; linked to this ${noun}: ${list(linked.map((f) => f.name))}.`,
      );
    }
    feature = found;
  } else if (linked.length > 1) {
    throw new Refusal(
      `Several features are linked to this ${noun} (${list(linked.map((f) => f.name))}): name one.`,
    );
  }
  return feature;
}

async function findEnvironment(projectId: number, name: string) {
  const environments = await prisma.environment.findMany({ where: { projectId }, orderBy: { id: "asc" } });
  const matches = environments.filter((environment) => environment.name.toLowerCase() === name.toLowerCase());
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1)
    throw new Refusal(`\`${name}\` is ambiguous: ${list(matches.map((e) => e.name))}. Write the exact name.`);
  throw new Refusal(
    `There is no environment \`${name}\`; environments: ${list(environments.map((e) => e.name))}.`,
  );
}

async function statusReply(featureId: number, featureName: string, projectId: number): Promise<string> {
  const environments = await prisma.environment.findMany({
    where: { projectId },
    orderBy: { id: "asc" },
    include: { featureStates: { where: { featureId } } },
  });
  const lines = environments.flatMap(({ name, featureStates: [state] }) =>
    state
      ? [
          `- ${escapeInline(name)}: ${state.enabled ? "✅ enabled" : "❌ disabled"}, value ${formatValue(fromStoredValue(state.valueType, state.value))}`,
        ]
      : [],
  );
  return [`**${escapeInline(featureName)}**`, "", ...lines].join("\n");
}

/** Decides and (for changes) applies the command; returns the reply. Refusals throw Refusal. */
async function carryOut(
  command: FlagCommand,
  integration: GitLabIntegration,
  client: GitLabClient,
): Promise<string> {
  const parsed = parseFlagComment(command.line, integration.tokenUsername);
  if (parsed.kind !== "command") throw new Refusal(`I could not read that command. ${COMMAND_HELP}`);
  const feature = await resolve(command, parsed.command);
  if (parsed.command.verb === "status") return statusReply(feature.id, feature.name, command.projectId);
  const environment = await findEnvironment(command.projectId, parsed.command.environment);
  const needed = requiredAccessLevel(integration, environment);
  const member = await client.members.effective(command.gitlabProjectId, command.authorId);
  const has = member?.accessLevel ?? 0;
  if (has < needed)
    throw new Refusal(
      `@${command.authorUsername} needs at least the ${roleName(needed)} role on this GitLab project to change ${environment.name}${environment.protected ? " (a protected environment)" : ""}; ${member ? `you have ${roleName(has)}` : "you are not a member"}.`,
    );
  const input =
    parsed.command.verb === "set"
      ? {
          feature_state_value: valueForType(
            parsed.command.value,
            parsed.command.quoted,
            feature.valueType,
            feature.name,
          ),
        }
      : { enabled: parsed.command.verb === "enable" };
  const project = await prisma.project.findUniqueOrThrow({ where: { id: command.projectId } });
  const itemRef = `${command.type === "GITLAB_MR" ? "!" : "#"}${command.iid}`;
  // Named after the Flagpost user linked to this GitLab username too; the role check above decided.
  const linked = await linkedUserForGitLabUsername(prisma, project.organisationId, command.authorUsername);
  const applied = await prisma.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ status: string }[]>`
      SELECT status FROM flag_commands WHERE id = ${command.id} FOR UPDATE`;
    if (locked?.status !== "PENDING") return false;
    const state = await tx.featureState.findUniqueOrThrow({
      where: { featureId_environmentId: { featureId: feature.id, environmentId: environment.id } },
    });
    await applyFeatureStateChange(
      tx,
      {
        kind: "system",
        label: gitlabActorName(command.authorUsername, linked, `comment on ${itemRef}`),
        userId: linked?.id ?? null,
      },
      { organisationId: project.organisationId, projectId: project.id, environmentId: environment.id },
      state.id,
      input,
    );
    const after = await tx.featureState.findUniqueOrThrow({ where: { id: state.id } });
    const result = `Done: ${escapeInline(feature.name)} is now ${after.enabled ? "enabled" : "disabled"} in ${escapeInline(environment.name)}, value ${formatValue(fromStoredValue(after.valueType, after.value))}.`;
    await tx.flagCommand.update({
      where: { id: command.id },
      data: { status: "APPLIED", result, finishedAt: new Date() },
    });
    return true;
  });
  if (!applied)
    return (await prisma.flagCommand.findUniqueOrThrow({ where: { id: command.id } })).result ?? "";
  return (await prisma.flagCommand.findUniqueOrThrow({ where: { id: command.id } })).result!;
}

export async function runFlagCommand(job: ClaimedJob<{ commandId: number }>): Promise<void> {
  const command = await prisma.flagCommand.findUnique({ where: { id: job.payload.commandId } });
  if (!command || command.replyNoteId !== null) return;
  const integration = await prisma.gitLabIntegration.findUnique({ where: { id: command.integrationId } });
  if (!integration || integration.deletedAt) return;
  const client = gitlabClientForIntegration(integration);
  let reply = command.result ?? "";
  if (command.status === "PENDING") {
    try {
      reply = await carryOut(command, integration, client);
      if (!command.result && reply) {
        // Status answers change nothing: record them as applied too.
        await prisma.flagCommand.updateMany({
          where: { id: command.id, status: "PENDING" },
          data: { status: "APPLIED", result: reply, finishedAt: new Date() },
        });
      }
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      reply = `Nothing changed: ${error.message}`;
      await prisma.flagCommand.updateMany({
        where: { id: command.id, status: "PENDING" },
        data: { status: "REFUSED", result: reply, finishedAt: new Date() },
      });
    }
  } else if (command.status === "REFUSED" && !reply.startsWith("Nothing changed")) {
    reply = `Nothing changed: ${reply}`;
  }
  const marker = commandReplyMarker(command.noteId);
  const body = `${marker}\n@${command.authorUsername} ${reply}`;
  const kind = command.type === "GITLAB_MR" ? "merge_request" : "issue";
  // A run that crashed after posting but before saving the note id left its reply in GitLab:
  // adopt it (found by its marker) instead of replying twice.
  const posted = (await repliesSoFar(client, command, kind)).find((note) => note.body.includes(marker));
  const note =
    posted ??
    (command.discussionId
      ? await client.discussions.reply(command.gitlabProjectId, kind, command.iid, command.discussionId, body)
      : await (kind === "issue" ? client.issueNotes : client.mergeRequestNotes).create(
          command.gitlabProjectId,
          command.iid,
          body,
        ));
  await prisma.flagCommand.update({ where: { id: command.id }, data: { replyNoteId: note.id } });
}

/** Hidden marker naming the command's note in Flagpost's reply, so a rerun finds the reply it posted. */
export function commandReplyMarker(commandNoteId: number): string {
  return `<!-- flagpost:command=${commandNoteId} -->`;
}

/** The notes a reply of ours could be among: the command's thread, or the item's newest comments. */
async function repliesSoFar(client: GitLabClient, command: FlagCommand, kind: "issue" | "merge_request") {
  if (command.discussionId)
    return client.discussions.notes(command.gitlabProjectId, kind, command.iid, command.discussionId);
  const notes = kind === "issue" ? client.issueNotes : client.mergeRequestNotes;
  return (await notes.list(command.gitlabProjectId, command.iid, { perPage: 100 })).items;
}
