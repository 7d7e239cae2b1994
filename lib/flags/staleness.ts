import "server-only";
import { DAY_MS } from "@/lib/clock";
import { describeValue, fromStoredValue, sameStoredValue, type StoredValue } from "@/lib/flags/flag-values";
import type { ExternalResourceType } from "@/lib/generated/prisma/enums";

// When a flag has done its job (the pure rules; `stale-flags.ts` runs the same predicate in SQL to
// pick candidates and asks this module for each row's reason). A flag is stale when:
//   - it is not permanent (kill switches stay) and not archived (already dealt with);
//   - it has at least one linked issue or MR besides cleanup issues, which are the answer to
//     staleness and never its cause; without any, Flagpost cannot know the work is done;
//   - every one of those is closed or merged, each at least `thresholdDays` ago, measured from
//     GitLab's closed/merged time (its last update time when GitLab gave none; neither: not stale);
//   - it has no segment override in any environment: an override means the flag still tells some
//     users apart from the rest, so it is still doing something;
//   - its state is the same in every environment (enabled, and the same value) and no environment's
//     state changed within the threshold. A project without environments has nothing to judge.
// Boundaries are inclusive: closed exactly `thresholdDays` ago counts.

export interface StaleLink {
  type: ExternalResourceType;
  /** How the reason names it: "#12", "!34", or "group/project#12" outside the linked project. */
  reference: string;
  /** opened | closed | merged */
  state: string;
  closedAt: Date | null;
  gitlabUpdatedAt: Date | null;
  isCleanupIssue: boolean;
}

export interface StaleState extends StoredValue {
  enabled: boolean;
  updatedAt: Date;
}

export interface StalenessInput {
  isPermanent: boolean;
  archivedAt: Date | null;
  links: StaleLink[];
  /** The environment-default state in each environment. */
  states: StaleState[];
  segmentOverrideCount: number;
}

type StaleBlocker =
  | "permanent"
  | "archived"
  | "no_links"
  | "open_items"
  | "unknown_close_time"
  | "recently_closed"
  | "segment_overrides"
  | "no_environments"
  | "differs_across_environments"
  | "recently_changed";

export type StalenessVerdict =
  | {
      stale: true;
      /** "MR !34 merged 21 days ago; issue #12 closed 30 days ago; enabled in all 3 environments since 2026-10-03" */
      reason: string;
      /** When the last linked item closed or the state last changed, whichever came later. */
      settledAt: Date;
      /** When the flag became stale: settledAt plus the threshold. */
      since: Date;
    }
  | { stale: false; blocker: StaleBlocker };

/** Links listed by name in a reason; the rest are counted. */
const MAX_LINKS_IN_REASON = 3;
const MAX_VALUE_CHARS_IN_REASON = 40;

/** When GitLab says the item was closed or merged; its last update when it did not say. */
function closedTime(link: Pick<StaleLink, "closedAt" | "gitlabUpdatedAt">): Date | null {
  return link.closedAt ?? link.gitlabUpdatedAt;
}

const isOpen = (link: Pick<StaleLink, "state">) => link.state !== "closed" && link.state !== "merged";

export function staleCutoff(now: Date, thresholdDays: number): Date {
  return new Date(now.getTime() - thresholdDays * DAY_MS);
}

function daysAgo(then: Date, now: Date): string {
  const days = Math.floor((now.getTime() - then.getTime()) / DAY_MS);
  return days <= 0 ? "today" : days === 1 ? "1 day ago" : `${days} days ago`;
}

const utcDate = (date: Date) => date.toISOString().slice(0, 10);

function describeLink(link: StaleLink, now: Date): string {
  const kind = link.type === "GITLAB_MR" ? "MR" : "issue";
  return `${kind} ${link.reference} ${link.state} ${daysAgo(closedTime(link)!, now)}`;
}

function describeState(state: StaleState, environments: number): string {
  const value = fromStoredValue(state.valueType, state.value);
  let shown = value === null ? "" : describeValue(value);
  if (Array.from(shown).length > MAX_VALUE_CHARS_IN_REASON)
    shown = `${Array.from(shown)
      .slice(0, MAX_VALUE_CHARS_IN_REASON - 1)
      .join("")}…`;
  const where = environments === 1 ? "in its only environment" : `in all ${environments} environments`;
  return `${state.enabled ? "enabled" : "disabled"}${value === null ? "" : ` with value ${shown}`} ${where}`;
}

const latest = (dates: Date[]) => new Date(Math.max(...dates.map((date) => date.getTime())));

export function evaluateStaleness(input: StalenessInput, now: Date, thresholdDays: number): StalenessVerdict {
  if (input.isPermanent) return { stale: false, blocker: "permanent" };
  if (input.archivedAt) return { stale: false, blocker: "archived" };
  const work = input.links.filter((link) => !link.isCleanupIssue);
  if (work.length === 0) return { stale: false, blocker: "no_links" };
  if (work.some(isOpen)) return { stale: false, blocker: "open_items" };
  if (work.some((link) => closedTime(link) === null)) return { stale: false, blocker: "unknown_close_time" };
  const cutoff = staleCutoff(now, thresholdDays).getTime();
  if (work.some((link) => closedTime(link)!.getTime() > cutoff))
    return { stale: false, blocker: "recently_closed" };
  if (input.segmentOverrideCount > 0) return { stale: false, blocker: "segment_overrides" };
  const [first, ...others] = input.states;
  if (!first) return { stale: false, blocker: "no_environments" };
  if (others.some((state) => state.enabled !== first.enabled || !sameStoredValue(state, first))) {
    return { stale: false, blocker: "differs_across_environments" };
  }
  if (input.states.some((state) => state.updatedAt.getTime() > cutoff))
    return { stale: false, blocker: "recently_changed" };

  const lastChange = latest(input.states.map((state) => state.updatedAt));
  const byRecency = [...work].sort((a, b) => closedTime(b)!.getTime() - closedTime(a)!.getTime());
  const named = byRecency.slice(0, MAX_LINKS_IN_REASON).map((link) => describeLink(link, now));
  const more = byRecency.length - named.length;
  if (more > 0) named.push(`${more} more linked ${more === 1 ? "item" : "items"} done`);
  const reason = [...named, `${describeState(first, input.states.length)} since ${utcDate(lastChange)}`].join(
    "; ",
  );
  const settledAt = latest([lastChange, ...work.map((link) => closedTime(link)!)]);
  return { stale: true, reason, settledAt, since: new Date(settledAt.getTime() + thresholdDays * DAY_MS) };
}

/** A cleanup issue is done once closed; a flag whose cleanup issues are all closed is ready to delete. */
export function isReadyToDelete(links: Pick<StaleLink, "isCleanupIssue" | "state">[]): boolean {
  const cleanup = links.filter((link) => link.isCleanupIssue);
  return cleanup.length > 0 && cleanup.every((link) => !isOpen(link));
}
