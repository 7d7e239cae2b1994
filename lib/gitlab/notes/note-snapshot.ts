import "server-only";
import type { AuditEntityType } from "@/lib/audit/record-audit";
import { prisma } from "@/lib/db/client";
import { fromStoredValue } from "@/lib/flags/flag-values";
import { optionValue } from "@/lib/flags/multivariate";
import type { AuditLog, MultivariateOption } from "@/lib/generated/prisma/client";
import type { FlagValue } from "@/lib/validations/common";
import type { ExternalResourceType } from "@/lib/generated/prisma/client";
import { actionName, ruleValue, triggerName, withEnvironments } from "@/lib/release-rules/rules";
import type { ChangeLine, FeatureSnapshot, PendingRule, VariantShare } from "@/lib/vcs/status-comment";

// What a status note shows, read from the database: the feature's states per environment (with
// their multivariate split), its recent changes and who made them (names, never email addresses).

/** Audit entries that are flag-state changes: the per-change style posts one note for each. */
export const CHANGE_TYPES: AuditEntityType[] = ["feature_state", "segment_override"];
/** What the "Recent changes" list of a status note shows. */
const RECENT_TYPES: AuditEntityType[] = [...CHANGE_TYPES, "feature"];

export interface FeatureRow {
  id: number;
  projectId: number;
  name: string;
  description: string;
  archivedAt: Date | null;
}

/** Who made a change, as a GitLab reader should see it: a name, never an email address. */
export async function actorNames(rows: AuditLog[]): Promise<Map<bigint, string>> {
  const userIds = [...new Set(rows.flatMap((row) => (row.actorUserId === null ? [] : [row.actorUserId])))];
  const users = userIds.length
    ? await prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } })
    : [];
  const names = new Map(users.map((user) => [user.id, user.name.trim()]));
  return new Map(
    rows.map((row) => {
      const name = row.actorUserId === null ? null : names.get(row.actorUserId);
      return [row.id, name || (row.actorUserId === null ? row.actorLabel : row.actorLabel.split("@")[0]!)];
    }),
  );
}

type OptionRow = Pick<MultivariateOption, "id" | "type" | "stringValue" | "integerValue" | "booleanValue"> & {
  defaultPercentageAllocation: number;
};

/**
 * A state's split as the engine lays it out (lib/flags/evaluation-context.ts): the variants in
 * option order, each with the state's own weight, else (environment defaults only) the option's
 * default weight. Undefined when the feature has no variants.
 */
function splitOf(
  options: OptionRow[],
  own: { optionId: number; percentageAllocation: number }[],
  useDefaults: boolean,
): VariantShare[] | undefined {
  if (options.length === 0) return undefined;
  const weights = new Map(own.map((weight) => [weight.optionId, weight.percentageAllocation]));
  return options.flatMap((option) => {
    const percentage =
      weights.get(option.id) ?? (useDefaults ? option.defaultPercentageAllocation : undefined);
    return percentage === undefined ? [] : [{ value: optionValue(option), percentage }];
  });
}

const weightsSelect = { select: { optionId: true, percentageAllocation: true } } as const;

/** The feature's state as the note shows it, and the newest flag-state change it includes (0: none yet). */
export async function loadSnapshot(
  feature: FeatureRow,
  item?: NoteItem,
): Promise<{ snapshot: FeatureSnapshot; lastChangeId: bigint }> {
  // Read first: a change committed after this gets its own note in the per-change style.
  const lastChange = await prisma.auditLog.findFirst({
    where: { featureId: feature.id, entityType: { in: CHANGE_TYPES } },
    orderBy: { id: "desc" },
    select: { id: true },
  });
  const [environments, overrides, recent, options, pendingRules] = await Promise.all([
    prisma.environment.findMany({
      where: { projectId: feature.projectId },
      orderBy: { id: "asc" },
      select: {
        name: true,
        apiKey: true,
        featureStates: {
          where: { featureId: feature.id },
          include: { multivariateValues: weightsSelect },
        },
      },
    }),
    prisma.segmentOverride.findMany({
      where: { featureId: feature.id },
      orderBy: [{ segment: { name: "asc" } }, { environmentId: "asc" }],
      include: {
        segment: { select: { name: true } },
        environment: { select: { name: true, apiKey: true } },
        multivariateValues: weightsSelect,
      },
    }),
    prisma.auditLog.findMany({
      where: { featureId: feature.id, entityType: { in: RECENT_TYPES } },
      orderBy: { id: "desc" },
      take: 5,
    }),
    prisma.multivariateOption.findMany({
      where: { featureId: feature.id },
      orderBy: { id: "asc" },
      select: {
        id: true,
        type: true,
        stringValue: true,
        integerValue: true,
        booleanValue: true,
        defaultPercentageAllocation: true,
      },
    }),
    item ? loadPendingRules(feature.id, item) : [],
  ]);
  const actors = await actorNames(recent);
  return {
    lastChangeId: lastChange?.id ?? 0n,
    snapshot: {
      featureId: feature.id,
      projectId: feature.projectId,
      name: feature.name,
      description: feature.description,
      environments: environments.flatMap(({ name, apiKey, featureStates: [state] }) =>
        state
          ? [
              {
                name,
                apiKey,
                enabled: state.enabled,
                value: fromStoredValue(state.valueType, state.value),
                variants: splitOf(options, state.multivariateValues, true),
                updatedAt: state.updatedAt,
              },
            ]
          : [],
      ),
      segmentOverrides: overrides.map((override) => ({
        segmentName: override.segment.name,
        priority: override.priority,
        name: override.environment.name,
        apiKey: override.environment.apiKey,
        enabled: override.enabled,
        value: fromStoredValue(override.valueType, override.value),
        variants: splitOf(options, override.multivariateValues, false),
        updatedAt: override.updatedAt,
      })),
      recentChanges: recent.map((row) => ({
        at: row.createdAt,
        actor: actors.get(row.id)!,
        summary: row.summary,
      })),
      pendingRules,
    },
  };
}

/** The item a note sits on. */
export interface NoteItem {
  gitlabProjectId: number;
  type: ExternalResourceType;
  iid: number;
}

/** The item's active release rules still to be carried out: waiting for their trigger or scheduled. */
async function loadPendingRules(featureId: number, item: NoteItem): Promise<PendingRule[]> {
  const rules = await prisma.releaseRule.findMany({
    where: {
      featureId,
      paused: false,
      externalResource: { gitlabProjectId: item.gitlabProjectId, type: item.type, iid: item.iid },
    },
    orderBy: { id: "asc" },
    include: { firings: { orderBy: { id: "asc" } } },
  });
  const withNames = await withEnvironments(prisma, rules);
  return withNames.flatMap((rule) => {
    const pending = rule.firings.find((firing) => firing.status === "PENDING");
    if (!pending && rule.firings.length > 0) return [];
    return [
      {
        ruleId: rule.id,
        action: actionName(rule.action),
        value: ruleValue(rule) ?? null,
        environments: rule.environments.map((environment) => environment.name),
        trigger: triggerName(rule.trigger),
        itemKind: item.type === "GITLAB_MR" ? "MR" : "issue",
        delaySeconds: rule.delaySeconds,
        runAt: pending?.runAt ?? null,
      } satisfies PendingRule,
    ];
  });
}

export type FromTo = { from: unknown; to: unknown };
export const fromTo = (changes: unknown, key: string): FromTo | undefined => {
  const value =
    changes && typeof changes === "object" ? (changes as Record<string, unknown>)[key] : undefined;
  return value && typeof value === "object" && "to" in value ? (value as FromTo) : undefined;
};

/** An audited state change as one per-change note reports it; null when nothing shown changed (e.g. a priority). */
export function changeLine(
  row: AuditLog,
  environments: Map<number, string>,
  actor: string,
): ChangeLine | null {
  const created = row.action === "CREATE";
  const deleted = row.action === "DELETE";
  const enabled = fromTo(row.changes, "enabled");
  const value = fromTo(row.changes, "value");
  const segment = (row.changes as Record<string, unknown> | null)?.segment;
  const line: ChangeLine = {
    id: row.id,
    at: row.createdAt,
    actor,
    environment:
      (row.environmentId !== null && environments.get(row.environmentId)) || "a deleted environment",
    segment: typeof segment === "string" ? segment : null,
    created,
    deleted,
    enabled:
      !deleted && typeof enabled?.to === "boolean"
        ? { from: typeof enabled.from === "boolean" ? enabled.from : null, to: enabled.to }
        : undefined,
    value: !deleted && value ? { from: value.from as FlagValue, to: value.to as FlagValue } : undefined,
  };
  return created || deleted || line.enabled || line.value ? line : null;
}
