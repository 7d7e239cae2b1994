import type { ExternalResourceType } from "@/lib/generated/prisma/enums";
import type { FlagValue } from "@/lib/validations/common";
import { escapePlainInline } from "@/lib/vcs/markdown";
import { featureUrl, formatUtc, formatValue } from "@/lib/vcs/status-comment";

// The title and Markdown body Flagpost proposes for a cleanup issue, from what it knows about the
// flag: its purpose, its state per environment, the linked work and when the flag last changed,
// then the checklist. People edit it before it is sent, so it is plain Markdown: text from people
// or GitLab is escaped only where it would change the Markdown around it or mention someone
// (escapePlainInline); quick actions are neutralised when it is sent (neutraliseQuickActions). No
// raw HTML is written, so the preview can refuse all of it.

interface CleanupEnvironmentState {
  name: string;
  apiKey: string;
  enabled: boolean;
  value: FlagValue;
  updatedAt: Date;
}

interface CleanupLinkedItem {
  type: ExternalResourceType;
  /** "acme/web!34" */
  reference: string;
  title: string;
  state: string;
  closedAt: Date | null;
  url: string;
  isCleanupIssue: boolean;
}

export interface CleanupIssueFacts {
  feature: { id: number; projectId: number; name: string; description: string };
  environments: CleanupEnvironmentState[];
  segmentOverrideCount: number;
  links: CleanupLinkedItem[];
  /** The stale-flag reason, when the flag is stale. */
  staleReason: string | null;
  publicUrl: string;
}

/** A code span showing `text` literally (outside tables): the fence is longer than any backtick run in it. */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r\n|\r|\n/g, " ");
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || flat === "" ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

export function cleanupIssueTitle(featureName: string): string {
  return `Remove feature flag ${codeSpan(featureName)}`;
}

/** A Markdown link whose label is plain text and whose URL cannot close the link early. */
function link(label: string, url: string): string {
  const safeUrl = url.replace(
    /[()\s<>]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
  return `[${escapePlainInline(label)}](${safeUrl})`;
}

const KIND: Record<ExternalResourceType, string> = { GITLAB_ISSUE: "Issue", GITLAB_MR: "Merge request" };

function itemLine(item: CleanupLinkedItem): string {
  const when =
    item.closedAt && item.state !== "opened" ? ` on ${item.closedAt.toISOString().slice(0, 10)}` : "";
  return `- ${KIND[item.type]} ${link(item.reference, item.url)}: ${escapePlainInline(item.title)} (${item.state}${when})`;
}

function stateTable(facts: CleanupIssueFacts): string {
  if (facts.environments.length === 0) return "_This project has no environments._";
  const rows = facts.environments.map((state) => {
    const url = featureUrl(facts.publicUrl, facts.feature.projectId, state.apiKey, facts.feature.id, "value");
    return `| ${link(state.name, url)} | ${state.enabled ? "✅ Enabled" : "❌ Disabled"} | ${formatValue(state.value)} | ${formatUtc(state.updatedAt)} |`;
  });
  return [
    "| Environment | Enabled | Value | Last changed (UTC) |",
    "| :--- | :--- | :--- | :--- |",
    ...rows,
  ].join("\n");
}

export function cleanupIssueBody(facts: CleanupIssueFacts): string {
  const { feature } = facts;
  const name = codeSpan(feature.name);
  const work = facts.links.filter((item) => !item.isCleanupIssue);
  const done = work.length > 0 && work.every((item) => item.state === "closed" || item.state === "merged");
  const parts: string[] = [
    // "Looks done" only over linked work that is all closed or merged.
    done
      ? `Flagpost suggests removing the feature flag ${name}: the work it was created for looks done.`
      : `Flagpost suggests removing the feature flag ${name}.`,
  ];
  if (facts.staleReason) parts.push(`**Why now:** ${escapePlainInline(facts.staleReason)}.`);

  const purpose = feature.description.trim();
  parts.push(
    "### What the flag is for",
    purpose
      ? purpose
          .split(/\r\n|\r|\n/)
          .map((line) => (line.trim() ? `> ${escapePlainInline(line)}` : ">"))
          .join("\n")
      : "_No description in Flagpost._",
  );

  parts.push("### Current state", stateTable(facts));
  if (facts.segmentOverrideCount > 0) {
    const count = facts.segmentOverrideCount;
    parts.push(
      `⚠️ ${count} segment ${count === 1 ? "override still targets" : "overrides still target"} some users: decide what they should get before removing the flag.`,
    );
  }
  const changes = facts.environments.map((state) => state.updatedAt.getTime());
  if (changes.length > 0)
    parts.push(`The flag's state last changed on ${formatUtc(new Date(Math.max(...changes)))} UTC.`);

  parts.push(
    "### Linked issues and merge requests",
    work.length ? work.map(itemLine).join("\n") : "_None linked in Flagpost._",
  );

  const flagUrl = facts.environments[0]
    ? featureUrl(facts.publicUrl, feature.projectId, facts.environments[0].apiKey, feature.id, "value")
    : `${facts.publicUrl}/projects/${feature.projectId}`;
  parts.push(
    "### Checklist",
    [
      `- [ ] Remove the code paths that read ${name}`,
      `- [ ] Remove the flag in Flagpost (${link(`${feature.name} in Flagpost`, flagUrl)})`,
    ].join("\n"),
  );
  parts.push("_Created by Flagpost. Closing this issue marks the flag ready to delete in Flagpost._");
  return parts.join("\n\n");
}
