import { describe, expect, it } from "vitest";
import { codeSpanInTable, escapeInline, link } from "@/lib/vcs/markdown";
import {
  formatValue,
  hasChangeMarker,
  hasNoteMarker,
  renderChangeNote,
  renderFinalNote,
  renderStatusNote,
  type FeatureSnapshot,
} from "@/lib/vcs/status-comment";

const at = new Date("2026-11-25T10:31:07.123Z");
const PUBLIC = "https://flags.example.com";

function snapshot(overrides: Partial<FeatureSnapshot> = {}): FeatureSnapshot {
  return {
    featureId: 42,
    projectId: 7,
    name: "new-checkout",
    description: "",
    environments: [
      { name: "Development", apiKey: "devkey", enabled: true, value: "blue", updatedAt: at },
      { name: "Production", apiKey: "prodkey", enabled: false, value: null, updatedAt: at },
    ],
    segmentOverrides: [],
    recentChanges: [],
    ...overrides,
  };
}

/** Cells of the Markdown table rows, split the way GFM does (on unescaped pipes). */
function tableRows(markdown: string): string[][] {
  return markdown
    .split("\n")
    .filter(
      (line) => line.startsWith("| ") && !line.startsWith("| :---") && !line.startsWith("| Environment"),
    )
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

describe("status note", () => {
  it("has a marker, a linked title, one row per environment and a footer", () => {
    const body = renderStatusNote(snapshot(), PUBLIC);
    expect(hasNoteMarker(body, 42)).toBe(true);
    expect(body).toContain(
      `[new\\-checkout](${PUBLIC}/projects/7/environments/devkey/features/42?tab=value)`,
    );
    expect(body).toContain("| Environment | Enabled | Value | Last updated (UTC) |");
    expect(tableRows(body)).toEqual([
      [
        `[Development](${PUBLIC}/projects/7/environments/devkey/features/42?tab=value)`,
        "✅ Enabled",
        "`blue`",
        "2026-11-25 10:31:07",
      ],
      [
        `[Production](${PUBLIC}/projects/7/environments/prodkey/features/42?tab=value)`,
        "❌ Disabled",
        "_no value_",
        "2026-11-25 10:31:07",
      ],
    ]);
    expect(body).toMatch(/Maintained by Flagpost and edited automatically/);
  });

  it("shows false, 0 and the empty string as values, and quotes strings that look like other types", () => {
    expect(formatValue(false)).toBe("`false`");
    expect(formatValue(0)).toBe("`0`");
    expect(formatValue("")).toBe('`""`');
    expect(formatValue("false")).toBe('`"false"`');
    expect(formatValue("42")).toBe('`"42"`');
    expect(formatValue(" padded ")).toBe('`" padded "`');
  });

  it("keeps the table intact with pipes, backticks, newlines and HTML in names and values", () => {
    const body = renderStatusNote(
      snapshot({
        environments: [
          { name: "Prod | EU <b>", apiKey: "k", enabled: true, value: "a|b`c\nd<script>", updatedAt: at },
        ],
      }),
      PUBLIC,
    );
    const [cells] = tableRows(body);
    expect(cells).toHaveLength(4);
    expect(cells![0]).toContain("Prod \\| EU &lt;b\\>");
    expect(cells![2]).toBe("``a\\|b`c⏎d<script>``");
    expect(body).not.toContain("<b>");
  });

  it("truncates long values visibly", () => {
    const long = "x".repeat(500);
    const cell = formatValue(long);
    expect(cell).toContain("…");
    expect(cell).toContain("(truncated, 500 characters)");
    expect(cell.length).toBeLessThan(140);
  });

  it("renders one block per segment with its own rows linking to the overrides tab", () => {
    const body = renderStatusNote(
      snapshot({
        segmentOverrides: [
          {
            segmentName: "beta users",
            priority: 0,
            name: "Production",
            apiKey: "prodkey",
            enabled: true,
            value: 0,
            updatedAt: at,
          },
          {
            segmentName: "beta users",
            priority: 0,
            name: "Development",
            apiKey: "devkey",
            enabled: false,
            value: 1,
            updatedAt: at,
          },
          {
            segmentName: "staff",
            priority: 1,
            name: "Production",
            apiKey: "prodkey",
            enabled: true,
            value: null,
            updatedAt: at,
          },
        ],
      }),
      PUBLIC,
    );
    expect(body).toContain("**Segment `beta users`**");
    expect(body).toContain("**Segment `staff`**");
    expect(body).toContain("?tab=segment-overrides");
    expect(tableRows(body)).toHaveLength(2 + 3);
  });

  it("shows a multivariate split per environment and segment: each variant's share, then the rest", () => {
    const body = renderStatusNote(
      snapshot({
        environments: [
          {
            name: "Development",
            apiKey: "devkey",
            enabled: true,
            value: "control",
            variants: [
              { value: "blue", percentage: 50 },
              { value: "green", percentage: 30 },
              { value: "never", percentage: 0 },
            ],
            updatedAt: at,
          },
          {
            name: "Production",
            apiKey: "prodkey",
            enabled: true,
            value: "control",
            variants: [
              { value: 7, percentage: 33.333333 },
              { value: "true", percentage: 66.666667 },
            ],
            updatedAt: at,
          },
          {
            name: "Staging",
            apiKey: "stagingkey",
            enabled: false,
            value: "plain",
            variants: [{ value: "blue", percentage: 0 }],
            updatedAt: at,
          },
        ],
        segmentOverrides: [
          {
            segmentName: "beta users",
            priority: 0,
            name: "Production",
            apiKey: "prodkey",
            enabled: true,
            value: null,
            variants: [{ value: "gold", percentage: 12.5 }],
            updatedAt: at,
          },
        ],
      }),
      PUBLIC,
    );
    const rows = tableRows(body);
    expect(rows[0]![2]).toBe("50% `blue` / 30% `green` / rest `control`");
    // Weights that take everyone leave no rest; a string that reads as a boolean is quoted.
    expect(rows[1]![2]).toBe('33.33% `7` / 66.67% `"true"`');
    // Every weight 0: no split, the value alone.
    expect(rows[2]![2]).toBe("`plain`");
    expect(rows[3]![2]).toBe("12.5% `gold` / rest _no value_");
  });

  it("keeps the table intact when variant values contain pipes and backticks", () => {
    const body = renderStatusNote(
      snapshot({
        environments: [
          {
            name: "Production",
            apiKey: "prodkey",
            enabled: true,
            value: "a|b",
            variants: [{ value: "`x`|y", percentage: 40 }],
            updatedAt: at,
          },
        ],
      }),
      PUBLIC,
    );
    const [row] = tableRows(body);
    expect(row).toHaveLength(4);
    expect(row![2]).toMatch(/^40% .* \/ rest /);
  });

  it("lists at most five recent changes, escaped", () => {
    const recentChanges = Array.from({ length: 7 }, (_, n) => ({
      at,
      actor: "ada@example.com",
      summary: `Change ${n} *bold*`,
    }));
    const body = renderStatusNote(snapshot({ recentChanges }), PUBLIC);
    expect(body.match(/^- 2026-11-25 10:31:07 UTC/gm)).toHaveLength(5);
    expect(body).toContain("Change 0 \\*bold\\*");
  });

  it("never lets user text start a line with a quick action", () => {
    const body = renderStatusNote(
      snapshot({
        name: "/close",
        description: "/label ~bug\n/close\n/assign @me",
        recentChanges: [{ at, actor: "/unassign", summary: "/close" }],
        environments: [{ name: "/reopen", apiKey: "k", enabled: true, value: "/close", updatedAt: at }],
      }),
      PUBLIC,
    );
    for (const line of body.split("\n")) expect(line.trimStart().startsWith("/")).toBe(false);
  });
});

describe("final and per-change notes", () => {
  it("says the flag was unlinked or deleted, keeping the marker", () => {
    const unlinked = renderFinalNote(42, "new-checkout", "unlinked", at);
    expect(hasNoteMarker(unlinked, 42)).toBe(true);
    expect(unlinked).toMatch(/was unlinked from this issue or merge request on 2026-11-25 10:31:07 UTC/);
    expect(renderFinalNote(42, "new-checkout", "deleted", at)).toMatch(/was deleted on/);
    // Its footer no longer promises edits (issue 16, item 9).
    for (const reason of ["unlinked", "deleted", "archived"] as const) {
      const final = renderFinalNote(42, "new-checkout", reason, at);
      expect(final).not.toMatch(/edited automatically/);
      expect(final).toMatch(/It no longer edits this comment/);
    }
    expect(renderFinalNote(42, "new-checkout", "archived", at)).toMatch(
      /was archived on 2026-11-25 10:31:07 UTC and is no longer tracked here/,
    );
  });

  it("names environment, segment and old → new", () => {
    const line = renderChangeNote("new-checkout", {
      id: 9001n,
      at,
      actor: "ada@example.com",
      environment: "Production",
      segment: "beta",
      enabled: { from: false, to: true },
      value: { from: "a", to: "" },
    });
    expect(line).toContain("Feature flag **new\\-checkout** in **Production** for segment **beta**");
    expect(line).toContain("❌ Disabled → ✅ Enabled");
    expect(line).toContain('value `a` → `""`');
    expect(hasChangeMarker(line, 9001n)).toBe(true);
    expect(hasChangeMarker(line, 900)).toBe(false);
    // Not mistaken for the status note of the feature.
    expect(hasNoteMarker(line, 42)).toBe(false);
  });

  it("says when an override was added or deleted", () => {
    const added = renderChangeNote("f", {
      id: 1,
      at,
      actor: "a",
      environment: "Prod",
      segment: "beta",
      created: true,
      enabled: { from: null, to: true },
      value: { from: null, to: 3 },
    });
    expect(added).toContain("override added, ✅ Enabled, value `3`");
    const deleted = renderChangeNote("f", {
      id: 2,
      at,
      actor: "a",
      environment: "Prod",
      segment: "beta",
      deleted: true,
    });
    expect(deleted).toContain("for segment **beta**: override deleted");
  });
});

describe("markdown helpers", () => {
  it("escape inline specials and HTML", () => {
    expect(escapeInline("a_b*c [x](y) <i>&")).toBe("a\\_b\\*c \\[x\\]\\(y\\) &lt;i\\>\\&");
  });

  it("escape GitLab reference sigils, so names cannot mention people or other items", () => {
    expect(escapeInline("@all see #12, !3, &4, %v1, $5 and ~bug")).toBe(
      "\\@all see \\#12, \\!3, \\&4, \\%v1, \\$5 and \\~bug",
    );
  });

  it("pick a code fence longer than any backtick run", () => {
    expect(codeSpanInTable("a``b")).toBe("```a``b```");
    expect(codeSpanInTable("`x`")).toBe("`` `x` ``");
  });

  it("build links that cannot be closed early by the URL", () => {
    expect(link("x", "https://h/p?a=(1)")).toBe("[x](https://h/p?a=%281%29)");
  });
});
