// Quick actions inside note bodies (`/label ~bug`, `/close`, …). Like GitLab, a command line is only
// extracted when the command exists and the user may run it; otherwise it stays in the note text.
// Lines inside fenced code blocks are never commands. Every executed command is recorded in the
// store so tests can assert that none ran.
import { type IssuePatch, updateIssue } from "./domain/issues";
import { resolveLabels } from "./domain/labels";
import { type MergeRequestPatch, updateMergeRequest } from "./domain/merge-requests";
import type { SimStore } from "./store";
import type { Issue, MergeRequest, Project, SimEvent, User } from "./types";
import { ACCESS_LEVEL } from "./types";
import { isDraftTitle, nowIso } from "./util";
import { effectiveLevel } from "./permissions";

export interface QuickActionResult {
  /** Note text with the executed command lines removed. */
  body: string;
  executed: { name: string; args: string }[];
  events: SimEvent[];
  commandsChanges: Record<string, unknown>;
  summary: string[];
}

type Target = { type: "Issue"; record: Issue } | { type: "MergeRequest"; record: MergeRequest };

function parseLabelArgs(args: string): string[] {
  const names: string[] = [];
  const re = /~"([^"]+)"|~([^\s~"]+)|"([^"]+)"|([^\s~"]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(args)) !== null) {
    const name = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (name) names.push(name);
  }
  return names;
}

export function runQuickActions(
  store: SimStore,
  project: Project,
  target: Target,
  user: User,
  body: string,
): QuickActionResult {
  const level = effectiveLevel(store, user, project);
  const isAuthor = target.record.authorId === user.id;
  const canUpdate = level >= ACCESS_LEVEL.reporter || isAuthor;
  const canAdmin = level >= ACCESS_LEVEL.reporter;
  const isMr = target.type === "MergeRequest";
  const state = target.record.state;

  const available: Record<string, boolean> = {
    label: canAdmin,
    unlabel: canAdmin,
    relabel: canAdmin,
    assign: canAdmin,
    unassign: canAdmin,
    close: canUpdate && (state === "opened" || state === "locked"),
    reopen: canUpdate && state === "closed",
    title: canUpdate,
    lock: canAdmin,
    unlock: canAdmin,
    confidential: !isMr && canAdmin,
    draft: isMr && canUpdate && state === "opened",
    ready: isMr && canUpdate && state === "opened",
  };

  const kept: string[] = [];
  const executed: { name: string; args: string }[] = [];
  let inFence = false;
  for (const line of body.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const m = inFence ? null : /^\/([a-z_]+)(?:\s+(.*))?$/.exec(line.trimEnd());
    const name = m?.[1];
    if (m && name && available[name]) {
      executed.push({ name, args: (m[2] ?? "").trim() });
      continue;
    }
    kept.push(line);
  }

  const events: SimEvent[] = [];
  const commandsChanges: Record<string, unknown> = {};
  const summary: string[] = [];
  for (const cmd of executed) {
    store.quickActions.push({
      projectId: project.id,
      noteableType: target.type,
      iid: target.record.iid,
      userId: user.id,
      command: cmd.name,
      args: cmd.args,
      time: nowIso(),
    });
    const patch: IssuePatch & MergeRequestPatch = { createLabels: false };
    switch (cmd.name) {
      case "label":
      case "unlabel":
      case "relabel": {
        const names = parseLabelArgs(cmd.args);
        const ids = resolveLabels(store, project, names, false);
        const key =
          cmd.name === "label" ? "add_label_ids" : cmd.name === "unlabel" ? "remove_label_ids" : "label_ids";
        commandsChanges[key] = ids;
        if (cmd.name === "label") patch.addLabels = names;
        if (cmd.name === "unlabel") patch.removeLabels = names;
        if (cmd.name === "relabel") patch.labels = names;
        const verb =
          cmd.name === "label" ? "Added" : cmd.name === "unlabel" ? "Removed" : "Replaced all labels with";
        summary.push(`${verb} ${names.map((n) => `~"${n}"`).join(" ")} label${names.length > 1 ? "s" : ""}.`);
        break;
      }
      case "close":
      case "reopen":
        patch.stateEvent = cmd.name;
        commandsChanges.state_event = cmd.name;
        summary.push(
          `${cmd.name === "close" ? "Closed" : "Reopened"} this ${isMr ? "merge request" : "issue"}.`,
        );
        break;
      case "title":
        patch.title = cmd.args;
        commandsChanges.title = cmd.args;
        summary.push(`Changed the title to "${cmd.args}".`);
        break;
      case "assign":
      case "unassign": {
        const usernames = cmd.args
          .split(/\s+/)
          .map((s) => s.replace(/^@/, ""))
          .filter(Boolean);
        const ids = usernames
          .map((u) => store.userByUsername(u)?.id)
          .filter((id): id is number => id !== undefined);
        const current = target.record.assigneeIds;
        patch.assigneeIds =
          cmd.name === "assign"
            ? [...new Set([...current, ...ids])]
            : cmd.args
              ? current.filter((id) => !ids.includes(id))
              : [];
        commandsChanges.assignee_ids = patch.assigneeIds;
        summary.push(
          cmd.name === "assign"
            ? `Assigned ${usernames.map((u) => `@${u}`).join(" ")}.`
            : "Removed assignees.",
        );
        break;
      }
      case "lock":
      case "unlock":
        patch.discussionLocked = cmd.name === "lock";
        commandsChanges.discussion_locked = patch.discussionLocked;
        summary.push(`${cmd.name === "lock" ? "Locked" : "Unlocked"} the discussion.`);
        break;
      case "confidential":
        patch.confidential = true;
        commandsChanges.confidential = true;
        summary.push("Made this issue confidential.");
        break;
      case "draft":
      case "ready": {
        const wantDraft = cmd.name === "draft";
        if (target.type === "MergeRequest" && isDraftTitle(target.record.title) !== wantDraft)
          patch.draft = wantDraft;
        commandsChanges.wip_event = cmd.name;
        summary.push(
          wantDraft ? "Marked this merge request as a draft." : "Marked this merge request as ready.",
        );
        break;
      }
    }
    events.push(
      ...(target.type === "Issue"
        ? updateIssue(store, target.record, user.id, patch)
        : updateMergeRequest(store, target.record, user.id, patch)),
    );
  }

  return { body: kept.join("\n").trim(), executed, events, commandsChanges, summary };
}
