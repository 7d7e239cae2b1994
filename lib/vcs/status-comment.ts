import type { FlagValue } from "@/lib/validations/common";
import {
  formatDelay,
  type ReleaseActionName,
  type ReleaseTriggerName,
} from "@/lib/validations/release-rules";
import { codeSpanInTable, escapeInline, link, truncate } from "@/lib/vcs/markdown";

// The Markdown Flagpost writes on linked GitLab issues and merge requests. In the default style one
// status note per (feature, item) shows every environment's live state and is edited in place; the
// "new comment for every change" style posts the full table once, then one line per change.

const MAX_VALUE_CHARS = 80;

/** One variant of a multivariate split: its value and the percentage of identities that get it. */
export interface VariantShare {
  value: FlagValue;
  percentage: number;
}

interface EnvironmentState {
  name: string;
  apiKey: string;
  enabled: boolean;
  /** The value, or the control value when the state splits between variants. */
  value: FlagValue;
  /** The multivariate split in bucket order; identities outside every variant get `value`. */
  variants?: VariantShare[];
  updatedAt: Date;
}

interface SegmentOverrideState extends EnvironmentState {
  segmentName: string;
  priority: number;
}

interface RecentChange {
  at: Date;
  actor: string;
  summary: string;
}

export interface FeatureSnapshot {
  featureId: number;
  projectId: number;
  name: string;
  description: string;
  environments: EnvironmentState[];
  segmentOverrides: SegmentOverrideState[];
  recentChanges: RecentChange[];
  /** The item's release rules not carried out yet (only on the note of the item they watch). */
  pendingRules?: PendingRule[];
}

/** A release rule as the note announces it. */
export interface PendingRule {
  ruleId: number;
  action: ReleaseActionName;
  value: FlagValue;
  environments: string[];
  trigger: ReleaseTriggerName;
  itemKind: "MR" | "issue";
  delaySeconds: number;
  /** Set once the trigger happened and the change waits for its delay. */
  runAt: Date | null;
}

const TRIGGER_PHRASES: Record<ReleaseTriggerName, string> = {
  merged: "merges",
  closed: "closes",
  closed_unmerged: "is closed without merging or reverted",
};

/** "⏳ will enable in Production 24 h after this MR merges" / "… at 2026-12-04 07:00:00 UTC". */
export function describePendingRule(rule: PendingRule): string {
  const what =
    rule.action === "set_value"
      ? `set ${formatValue(rule.value)}`
      : rule.action === "enable"
        ? "enable"
        : "disable";
  const where = rule.environments.map(escapeInline).join(", ");
  const when = rule.runAt
    ? `at ${formatUtc(rule.runAt)} UTC`
    : `${rule.delaySeconds > 0 ? `${formatDelay(rule.delaySeconds)} after` : "when"} this ${rule.itemKind} ${TRIGGER_PHRASES[rule.trigger]}`;
  return `⏳ will ${what} in ${where} ${when} (rule #${rule.ruleId})`;
}

/** Hidden marker identifying our note on an item, so a retry finds it instead of posting twice. */
function noteMarker(featureId: number): string {
  return `<!-- flagpost:feature=${featureId} -->`;
}

export function hasNoteMarker(body: string, featureId: number): boolean {
  return body.includes(noteMarker(featureId));
}

export function formatUtc(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

/** A value as shown in a table: code, with strings quoted when they would read as another type. */
export function formatValue(value: FlagValue): string {
  if (value === null) return "_no value_";
  let text: string;
  if (typeof value === "string") {
    const ambiguous =
      value === "" || /^(true|false|null|-?\d+(\.\d+)?)$/i.test(value.trim()) || value.trim() !== value;
    text = ambiguous ? JSON.stringify(value) : value;
  } else {
    text = String(value);
  }
  const { text: shown, truncated } = truncate(text, MAX_VALUE_CHARS);
  return truncated
    ? `${codeSpanInTable(shown)} _(truncated, ${Array.from(text).length} characters)_`
    : codeSpanInTable(shown);
}

/** "50%", "33.3%", "12.25%": at most two decimals, no trailing zeros. */
function formatPercentage(percentage: number): string {
  return `${Number(percentage.toFixed(2))}%`;
}

/**
 * The Value cell of a state: its value, or its split, e.g. `50% `blue` / 30% `green` / rest `control``
 * (variants weighted 0 left out; no "rest" when the weights take everyone).
 */
function formatStateValue(state: Pick<EnvironmentState, "value" | "variants">): string {
  const shares = (state.variants ?? []).filter((variant) => variant.percentage > 0);
  if (shares.length === 0) return formatValue(state.value);
  const parts = shares.map((share) => `${formatPercentage(share.percentage)} ${formatValue(share.value)}`);
  const total = shares.reduce((sum, share) => sum + share.percentage, 0);
  if (total < 100 - 1e-9) parts.push(`rest ${formatValue(state.value)}`);
  return parts.join(" / ");
}

export function featureUrl(
  publicUrl: string,
  projectId: number,
  environmentApiKey: string,
  featureId: number,
  tab: "value" | "segment-overrides",
) {
  return `${publicUrl}/projects/${projectId}/environments/${encodeURIComponent(environmentApiKey)}/features/${featureId}?tab=${tab}`;
}

const TABLE_HEADER = "| Environment | Enabled | Value | Last updated (UTC) |\n| :--- | :--- | :--- | :--- |";

function row(state: EnvironmentState, url: string): string {
  const enabled = state.enabled ? "✅ Enabled" : "❌ Disabled";
  return `| ${link(state.name, url)} | ${enabled} | ${formatStateValue(state)} | ${formatUtc(state.updatedAt)} |`;
}

function environmentTable(snapshot: FeatureSnapshot, publicUrl: string): string {
  if (snapshot.environments.length === 0) return "_This project has no environments yet._";
  const rows = snapshot.environments.map((state) =>
    row(state, featureUrl(publicUrl, snapshot.projectId, state.apiKey, snapshot.featureId, "value")),
  );
  return [TABLE_HEADER, ...rows].join("\n");
}

function segmentBlocks(snapshot: FeatureSnapshot, publicUrl: string): string[] {
  const bySegment = new Map<string, SegmentOverrideState[]>();
  for (const override of snapshot.segmentOverrides) {
    bySegment.set(override.segmentName, [...(bySegment.get(override.segmentName) ?? []), override]);
  }
  return [...bySegment.entries()].map(([segment, overrides]) => {
    const rows = overrides.map((state) =>
      row(
        state,
        featureUrl(publicUrl, snapshot.projectId, state.apiKey, snapshot.featureId, "segment-overrides"),
      ),
    );
    return [`**Segment ${codeSpanInTable(segment)}**`, "", TABLE_HEADER, ...rows].join("\n");
  });
}

function title(snapshot: FeatureSnapshot, publicUrl: string, environmentApiKey: string | undefined): string {
  const name = environmentApiKey
    ? link(
        snapshot.name,
        featureUrl(publicUrl, snapshot.projectId, environmentApiKey, snapshot.featureId, "value"),
      )
    : escapeInline(snapshot.name);
  return `### 🚩 Feature flag ${name}`;
}

const FOOTER = "<sub>Maintained by Flagpost and edited automatically whenever this flag changes.</sub>";
/** The footer of a note Flagpost has stopped editing (the flag was unlinked, deleted or archived). */
const FINAL_FOOTER = "<sub>Written by Flagpost. It no longer edits this comment.</sub>";

/** The status note: title, description, one row per environment, segment blocks, recent changes. */
export function renderStatusNote(snapshot: FeatureSnapshot, publicUrl: string): string {
  const parts = [
    noteMarker(snapshot.featureId),
    title(snapshot, publicUrl, snapshot.environments[0]?.apiKey),
  ];
  if (snapshot.description.trim())
    parts.push(`> ${escapeInline(truncate(snapshot.description.trim(), 500).text)}`);
  parts.push(environmentTable(snapshot, publicUrl));
  parts.push(...segmentBlocks(snapshot, publicUrl));
  if (snapshot.recentChanges.length > 0) {
    const lines = snapshot.recentChanges
      .slice(0, 5)
      .map(
        (change) =>
          `- ${formatUtc(change.at)} UTC · ${escapeInline(change.actor)}: ${escapeInline(change.summary)}`,
      );
    parts.push(["**Recent changes**", "", ...lines].join("\n"));
  }
  if (snapshot.pendingRules?.length) {
    const lines = snapshot.pendingRules.map((rule) => `- ${describePendingRule(rule)}`);
    parts.push(["**Release rules**", "", ...lines].join("\n"));
  }
  parts.push(FOOTER);
  return parts.join("\n\n");
}

/** Why a status note stopped following its flag: the link or the feature is gone, or it was archived (restorable). */
export type FinalReason = "unlinked" | "deleted" | "archived";

/** The last edit of a status note once the link or the feature is gone. */
export function renderFinalNote(
  featureId: number,
  featureName: string,
  reason: FinalReason,
  at: Date,
): string {
  const what = {
    unlinked: `was unlinked from this issue or merge request on ${formatUtc(at)} UTC`,
    deleted: `was deleted on ${formatUtc(at)} UTC`,
    archived: `was archived on ${formatUtc(at)} UTC and is no longer tracked here`,
  }[reason];
  return [
    noteMarker(featureId),
    `### 🚩 Feature flag ${escapeInline(featureName)}`,
    `This feature flag ${what}. Flagpost no longer updates this comment.`,
    FINAL_FOOTER,
  ].join("\n\n");
}

/** Hidden marker of the note posted for one change (an audit entry id), so a retry finds it instead of posting twice. */
function changeMarker(changeId: bigint | number): string {
  return `<!-- flagpost:change=${changeId} -->`;
}

export function hasChangeMarker(body: string, changeId: bigint | number): boolean {
  return body.includes(changeMarker(changeId));
}

const enabledText = (enabled: boolean) => (enabled ? "✅ Enabled" : "❌ Disabled");

export interface ChangeLine {
  /** The audit entry the note reports. */
  id: bigint | number;
  at: Date;
  actor: string;
  /** Environment name, plus the segment for an override change. */
  environment: string;
  segment?: string | null;
  /** `from` is null when an override was added. */
  enabled?: { from: boolean | null; to: boolean };
  value?: { from: FlagValue; to: FlagValue };
  created?: boolean;
  deleted?: boolean;
}

/** One note per change (the "new comment for every change" style). */
export function renderChangeNote(featureName: string, change: ChangeLine): string {
  const scope = `in **${escapeInline(change.environment)}**${change.segment ? ` for segment **${escapeInline(change.segment)}**` : ""}`;
  const details: string[] = [];
  if (change.created) details.push("override added");
  if (change.deleted) details.push("override deleted");
  if (change.enabled) {
    details.push(
      change.enabled.from === null
        ? enabledText(change.enabled.to)
        : `${enabledText(change.enabled.from)} → ${enabledText(change.enabled.to)}`,
    );
  }
  if (change.value)
    details.push(
      change.created
        ? `value ${formatValue(change.value.to)}`
        : `value ${formatValue(change.value.from)} → ${formatValue(change.value.to)}`,
    );
  return [
    changeMarker(change.id),
    `Feature flag **${escapeInline(featureName)}** ${scope}: ${details.join(", ") || "updated"} · ${escapeInline(change.actor)}, ${formatUtc(change.at)} UTC`,
  ].join("\n");
}
