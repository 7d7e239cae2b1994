import { describe, expect, it } from "vitest";
import { DAY_MS } from "@/lib/clock";
import {
  evaluateStaleness,
  isReadyToDelete,
  staleCutoff,
  type StaleLink,
  type StalenessInput,
  type StaleState,
} from "@/lib/flags/staleness";

const NOW = new Date("2026-11-01T12:00:00.000Z");
const THRESHOLD = 14;
const ago = (days: number, extraMs = 0) => new Date(NOW.getTime() - days * DAY_MS - extraMs);

const mr = (overrides: Partial<StaleLink> = {}): StaleLink => ({
  type: "GITLAB_MR",
  reference: "!34",
  state: "merged",
  closedAt: ago(21),
  gitlabUpdatedAt: ago(21),
  isCleanupIssue: false,
  ...overrides,
});
const issue = (overrides: Partial<StaleLink> = {}): StaleLink => ({
  type: "GITLAB_ISSUE",
  reference: "#12",
  state: "closed",
  closedAt: ago(30),
  gitlabUpdatedAt: ago(30),
  isCleanupIssue: false,
  ...overrides,
});
const state = (overrides: Partial<StaleState> = {}): StaleState => ({
  enabled: true,
  valueType: "STRING",
  value: null,
  updatedAt: new Date("2026-10-03T09:00:00.000Z"),
  ...overrides,
});
const input = (overrides: Partial<StalenessInput> = {}): StalenessInput => ({
  isPermanent: false,
  archivedAt: null,
  links: [mr(), issue()],
  states: [state(), state(), state()],
  segmentOverrideCount: 0,
  ...overrides,
});
const verdict = (overrides: Partial<StalenessInput> = {}, now = NOW, threshold = THRESHOLD) =>
  evaluateStaleness(input(overrides), now, threshold);
const blocker = (overrides: Partial<StalenessInput> = {}, now = NOW, threshold = THRESHOLD) => {
  const result = verdict(overrides, now, threshold);
  return result.stale ? "stale" : result.blocker;
};

describe("evaluateStaleness", () => {
  it("lists a flag whose work is done and whose state settled, with a reason naming each item and the state", () => {
    const result = verdict();
    expect(result).toEqual({
      stale: true,
      reason:
        "MR !34 merged 21 days ago; issue #12 closed 30 days ago; enabled in all 3 environments since 2026-10-03",
      settledAt: ago(21),
      since: ago(7),
    });
  });

  it("keeps permanent and archived flags off the list whatever else holds", () => {
    expect(blocker({ isPermanent: true })).toBe("permanent");
    expect(blocker({ archivedAt: ago(1) })).toBe("archived");
    expect(blocker({ isPermanent: true, archivedAt: ago(1) })).toBe("permanent");
  });

  it("needs at least one linked item, and cleanup issues do not count as one", () => {
    expect(blocker({ links: [] })).toBe("no_links");
    expect(blocker({ links: [issue({ isCleanupIssue: true })] })).toBe("no_links");
  });

  it("is not stale while any linked item is open (a locked MR is stored as opened)", () => {
    expect(blocker({ links: [mr(), issue({ state: "opened", closedAt: null })] })).toBe("open_items");
    expect(blocker({ links: [mr({ state: "opened", closedAt: null })] })).toBe("open_items");
  });

  it("stays stale with an open cleanup issue (the stale view shows it), and counts only the work items", () => {
    const result = verdict({
      links: [mr(), issue({ reference: "#40", state: "opened", closedAt: null, isCleanupIssue: true })],
    });
    expect(result).toMatchObject({
      stale: true,
      reason: "MR !34 merged 21 days ago; enabled in all 3 environments since 2026-10-03",
    });
  });

  it("counts a closed (unmerged) MR as done", () => {
    expect(verdict({ links: [mr({ state: "closed" })] })).toMatchObject({
      stale: true,
      reason: expect.stringMatching(/^MR !34 closed 21 days ago;/),
    });
  });

  it("measures from GitLab's update time when it gave no closing time, and refuses when it gave neither", () => {
    expect(verdict({ links: [issue({ closedAt: null, gitlabUpdatedAt: ago(20) })] })).toMatchObject({
      stale: true,
      reason: expect.stringMatching(/^issue #12 closed 20 days ago/),
    });
    expect(blocker({ links: [issue({ closedAt: null, gitlabUpdatedAt: null })] })).toBe("unknown_close_time");
  });

  it("counts an item closed exactly the threshold ago, but not a millisecond later", () => {
    expect(blocker({ links: [mr({ closedAt: ago(THRESHOLD) })] })).toBe("stale");
    expect(blocker({ links: [mr({ closedAt: ago(THRESHOLD, -1) })] })).toBe("recently_closed");
    expect(blocker({ links: [mr({ closedAt: ago(THRESHOLD - 1) }), issue()] })).toBe("recently_closed");
  });

  it("counts a state unchanged exactly the threshold, but not a millisecond less", () => {
    expect(blocker({ states: [state({ updatedAt: ago(THRESHOLD) }), state()] })).toBe("stale");
    expect(blocker({ states: [state({ updatedAt: ago(THRESHOLD, -1) }), state()] })).toBe("recently_changed");
  });

  it("follows the project's threshold", () => {
    expect(blocker({}, NOW, 21)).toBe("stale");
    expect(blocker({}, NOW, 22)).toBe("recently_closed");
    expect(
      blocker({ links: [mr({ closedAt: ago(2) })], states: [state({ updatedAt: ago(2) })] }, NOW, 1),
    ).toBe("stale");
  });

  it("treats any segment override as the flag still targeting someone", () => {
    expect(blocker({ segmentOverrideCount: 1 })).toBe("segment_overrides");
  });

  it("needs the same state in every environment: enabled, value and the value's type", () => {
    expect(blocker({ states: [state(), state({ enabled: false })] })).toBe("differs_across_environments");
    expect(blocker({ states: [state({ value: "blue" }), state({ value: "green" })] })).toBe(
      "differs_across_environments",
    );
    expect(blocker({ states: [state({ value: "blue" }), state({ value: null })] })).toBe(
      "differs_across_environments",
    );
    expect(
      blocker({
        states: [state({ valueType: "INTEGER", value: "1" }), state({ valueType: "STRING", value: "1" })],
      }),
    ).toBe("differs_across_environments");
    // No value is no value, whatever type it was stored with.
    expect(
      blocker({
        states: [state({ valueType: "BOOLEAN", value: null }), state({ valueType: "STRING", value: null })],
      }),
    ).toBe("stale");
  });

  it("has nothing to judge in a project without environments", () => {
    expect(blocker({ states: [] })).toBe("no_environments");
  });

  it("reports blockers in rule order (mixed states)", () => {
    expect(
      blocker({
        links: [mr({ state: "opened", closedAt: null })],
        segmentOverrideCount: 2,
        states: [state(), state({ enabled: false })],
      }),
    ).toBe("open_items");
    expect(blocker({ links: [mr({ closedAt: ago(1) })], segmentOverrideCount: 2 })).toBe("recently_closed");
    expect(blocker({ segmentOverrideCount: 2, states: [state(), state({ enabled: false })] })).toBe(
      "segment_overrides",
    );
    expect(blocker({ states: [state({ updatedAt: ago(1) }), state({ enabled: false })] })).toBe(
      "differs_across_environments",
    );
  });

  it("describes disabled flags, values, one environment and many items", () => {
    const links = [
      mr({ reference: "!1", closedAt: ago(40) }),
      mr({ reference: "!2", closedAt: ago(35) }),
      issue({ reference: "acme/other#3", closedAt: ago(50) }),
      issue({ reference: "#4", closedAt: ago(15) }),
      issue({ reference: "#5", closedAt: ago(16) }),
    ];
    const result = verdict({ links, states: [state({ enabled: false, valueType: "INTEGER", value: "3" })] });
    expect(result).toMatchObject({
      stale: true,
      reason:
        "issue #4 closed 15 days ago; issue #5 closed 16 days ago; MR !2 merged 35 days ago; 2 more linked items done; disabled with value 3 in its only environment since 2026-10-03",
      settledAt: ago(15),
      since: ago(1),
    });
    const long = verdict({ states: [state({ value: "x".repeat(100) }), state({ value: "x".repeat(100) })] });
    expect(long.stale && long.reason).toMatch(/enabled with value "x{38}… in all 2 environments/);
    const one = verdict({
      links: [mr(), issue({ reference: "#9" }), issue({ reference: "#8" }), issue({ reference: "#7" })],
    });
    expect(one.stale && one.reason).toMatch(/; 1 more linked item done;/);
  });

  it("dates `since` from the later of the last closing and the last state change", () => {
    const result = verdict({ links: [mr({ closedAt: ago(60) })], states: [state({ updatedAt: ago(20) })] });
    expect(result).toMatchObject({ stale: true, settledAt: ago(20), since: ago(6) });
  });

  it("computes the cutoff from days", () => {
    expect(staleCutoff(NOW, 14)).toEqual(ago(14));
  });
});

describe("isReadyToDelete", () => {
  it("is true once every cleanup issue is closed, and only when there is one", () => {
    expect(isReadyToDelete([])).toBe(false);
    expect(isReadyToDelete([issue()])).toBe(false);
    expect(isReadyToDelete([issue({ isCleanupIssue: true, state: "opened" })])).toBe(false);
    expect(isReadyToDelete([issue({ isCleanupIssue: true })])).toBe(true);
    expect(
      isReadyToDelete([issue({ isCleanupIssue: true }), issue({ isCleanupIssue: true, state: "opened" })]),
    ).toBe(false);
    expect(isReadyToDelete([mr({ state: "opened" }), issue({ isCleanupIssue: true })])).toBe(true);
  });
});
