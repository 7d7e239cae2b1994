// Rules, percentage splits, variants and override precedence, stated explicitly and checked
// against Flagsmith's own engine (evaluateWithBoth) wherever Flagsmith has the behaviour.
import { describe, expect, it } from "vitest";
import { hashedPercentage } from "./hashing";
import { evaluateContext, matchingSegmentNames } from "./index";
import { ENVIRONMENT, evaluateWithBoth, segmentContext } from "./testing/both-engines";
import type {
  EvaluationContext,
  EvaluationResult,
  FeatureContext,
  SegmentCondition,
  SegmentRule,
} from "./types";

const eq = (property: string, value: string): SegmentCondition => ({ property, operator: "EQUAL", value });

function segmentMatches(rules: SegmentRule[], traits: Record<string, string | number | boolean>) {
  const { ours, flagsmith } = evaluateWithBoth(segmentContext(rules, traits));
  return [ours.segments.length === 1, flagsmith.segments.length === 1];
}

/** The parts both engines must agree on. */
function essentials(result: EvaluationResult) {
  return {
    flags: Object.fromEntries(
      Object.entries(result.flags).map(([name, flag]) => [
        name,
        { enabled: flag.enabled, value: flag.value, reason: flag.reason },
      ]),
    ),
    segments: result.segments.map((segment) => segment.name),
  };
}

function evaluateBoth(context: EvaluationContext) {
  const { ours, flagsmith } = evaluateWithBoth(context);
  expect(essentials(ours)).toEqual(essentials(flagsmith));
  return ours;
}

describe("rule types and nesting", () => {
  const traits = { plan: "pro", country: "FR", beta: true };

  it("ALL needs every condition, ANY one, NONE none", () => {
    const conditions = [eq("plan", "pro"), eq("country", "DE")];
    expect(segmentMatches([{ type: "ALL", conditions }], traits)).toEqual([false, false]);
    expect(segmentMatches([{ type: "ANY", conditions }], traits)).toEqual([true, true]);
    expect(segmentMatches([{ type: "NONE", conditions }], traits)).toEqual([false, false]);
    expect(segmentMatches([{ type: "NONE", conditions: [eq("country", "DE")] }], traits)).toEqual([
      true,
      true,
    ]);
  });

  it("a segment's top-level rules must all match", () => {
    const rules: SegmentRule[] = [
      { type: "ANY", conditions: [eq("plan", "pro")] },
      { type: "ANY", conditions: [eq("country", "DE")] },
    ];
    expect(segmentMatches(rules, traits)).toEqual([false, false]);
  });

  it("nests ALL / ANY / NONE three levels deep", () => {
    // plan = pro AND (country = DE OR NOT (beta = false OR plan = free))
    const rules: SegmentRule[] = [
      {
        type: "ALL",
        conditions: [eq("plan", "pro")],
        rules: [
          {
            type: "ANY",
            rules: [
              { type: "ALL", conditions: [eq("country", "DE")] },
              { type: "NONE", conditions: [eq("beta", "false"), eq("plan", "free")] },
            ],
          },
        ],
      },
    ];
    expect(segmentMatches(rules, traits)).toEqual([true, true]);
    expect(segmentMatches(rules, { ...traits, beta: false })).toEqual([false, false]);
    expect(segmentMatches(rules, { ...traits, beta: false, country: "DE" })).toEqual([true, true]);
  });

  it("a rule's conditions and its sub-rules must each satisfy its type (ANY is not an OR across both)", () => {
    // Flagsmith: a rule matches when its conditions AND its sub-rules each satisfy the rule's type.
    const rules: SegmentRule[] = [
      {
        type: "ANY",
        conditions: [eq("plan", "free")],
        rules: [{ type: "ALL", conditions: [eq("country", "FR")] }],
      },
    ];
    expect(segmentMatches(rules, traits)).toEqual([false, false]);
  });

  it("empty rules: a rule without conditions matches, a segment without rules matches nobody", () => {
    expect(segmentMatches([{ type: "ALL" }], traits)).toEqual([true, true]);
    expect(segmentMatches([{ type: "ANY", conditions: [], rules: [] }], traits)).toEqual([true, true]);
    expect(segmentMatches([], traits)).toEqual([false, false]);
  });
});

describe("PERCENTAGE_SPLIT", () => {
  const identifier = "user-1";
  const identityKey = `${ENVIRONMENT.key}_${identifier}`;
  // The identity's bucket for segment key "1": md5("1,<identity key>") scaled to [0, 100).
  const bucket = hashedPercentage(["1", identityKey]);
  const split = (value: string) =>
    segmentMatches(
      [{ type: "ALL", conditions: [{ property: "", operator: "PERCENTAGE_SPLIT", value }] }],
      {},
    );

  it("0 matches nobody (but a bucket of exactly 0), 100 matches everybody", () => {
    expect(bucket).toBeGreaterThan(0);
    expect(split("0")).toEqual([false, false]);
    expect(split("100")).toEqual([true, true]);
  });

  it("the exact split point is included: bucket <= value", () => {
    expect(split(String(bucket))).toEqual([true, true]);
    const justBelow = bucket - 1e-9;
    expect(split(String(justBelow))).toEqual([false, false]);
  });

  it("splits a population close to the percentage, each identity always on the same side", () => {
    let inside = 0;
    for (let i = 0; i < 2000; i++) {
      const context = segmentContext(
        [{ type: "ALL", conditions: [{ property: "", operator: "PERCENTAGE_SPLIT", value: "30" }] }],
        {},
        { identifier: `user-${i}` },
      );
      const first = evaluateContext(context).segments.length;
      expect(evaluateContext(context).segments.length).toBe(first);
      inside += first;
    }
    expect(inside / 2000).toBeGreaterThan(0.27);
    expect(inside / 2000).toBeLessThan(0.33);
  });

  it("with a $. property, hashes that value instead of the identity key; a trait name never splits", () => {
    const byIdentifier = hashedPercentage(["1", identifier]);
    expect(byIdentifier).not.toBe(bucket);
    const splitOn = (property: string, value: string) =>
      segmentMatches([{ type: "ALL", conditions: [{ property, operator: "PERCENTAGE_SPLIT", value }] }], {
        plan: "pro",
      });
    expect(splitOn("$.identity.identifier", String(byIdentifier))).toEqual([true, true]);
    expect(splitOn("$.identity.identifier", String(byIdentifier - 1e-9))).toEqual([false, false]);
    expect(splitOn("plan", "100")).toEqual([false, false]);
  });

  it("never matches without an identity", () => {
    const context: EvaluationContext = {
      environment: ENVIRONMENT,
      segments: {
        "1": {
          key: "1",
          name: "all",
          rules: [
            { type: "ALL", conditions: [{ property: "", operator: "PERCENTAGE_SPLIT", value: "100" }] },
          ],
        },
      },
    };
    expect(evaluateBoth(context).segments).toEqual([]);
  });
});

describe("multivariate features", () => {
  const identifier = "user-1";
  const identityKey = `${ENVIRONMENT.key}_${identifier}`;
  const featureKey = "42";
  const bucket = hashedPercentage([featureKey, identityKey]);

  function colour(variants: FeatureContext["variants"]): EvaluationContext {
    return {
      environment: ENVIRONMENT,
      identity: { identifier },
      features: { colour: { key: featureKey, name: "colour", enabled: true, value: "control", variants } },
    };
  }

  it("an identity in a variant's bucket gets its value with reason SPLIT; weight=…", () => {
    const result = evaluateBoth(colour([{ key: "blue", value: "blue", weight: 100, priority: 1 }]));
    expect(result.flags.colour).toMatchObject({
      value: "blue",
      reason: "SPLIT; weight=100",
      variant: "blue",
    });
  });

  it("weights summing to less than 100 leave the rest to the control value", () => {
    // The first variant ends exactly at the identity's bucket (excluded), the second is empty:
    // the identity lands in the control part.
    const result = evaluateBoth(
      colour([
        { key: "blue", value: "blue", weight: bucket, priority: 1 },
        { key: "green", value: "green", weight: 0, priority: 2 },
      ]),
    );
    expect(result.flags.colour).toMatchObject({ value: "control", reason: "DEFAULT", variant: "control" });
  });

  it("variants are laid out in priority order and the bucket start is inclusive", () => {
    // "green" comes first by priority and covers [0, bucket); "blue" starts at the bucket.
    const result = evaluateBoth(
      colour([
        { key: "blue", value: "blue", weight: 100 - bucket, priority: 2 },
        { key: "green", value: "green", weight: bucket, priority: 1 },
      ]),
    );
    expect(result.flags.colour).toMatchObject({ value: "blue", variant: "blue" });
  });

  it("all-zero weights give the control value; without an identity there is no split", () => {
    expect(evaluateBoth(colour([{ value: "blue", weight: 0, priority: 1 }])).flags.colour!.value).toBe(
      "control",
    );
    const anonymous = { ...colour([{ value: "blue", weight: 100, priority: 1 }]), identity: null };
    const result = evaluateBoth(anonymous);
    expect(result.flags.colour).toMatchObject({ value: "control", reason: "DEFAULT", variant: null });
  });

  it("splits a population close to the weights (50 / 30 / rest)", () => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 3000; i++) {
      const context = {
        ...colour([
          { key: "blue", value: "blue", weight: 50, priority: 1 },
          { key: "green", value: "green", weight: 30, priority: 2 },
        ]),
        identity: { identifier: `user-${i}` },
      };
      const value = String(evaluateContext(context).flags.colour!.value);
      counts[value] = (counts[value] ?? 0) + 1;
    }
    expect(counts.blue! / 3000).toBeCloseTo(0.5, 1);
    expect(counts.green! / 3000).toBeCloseTo(0.3, 1);
    expect(counts.control! / 3000).toBeCloseTo(0.2, 1);
  });
});

describe("override precedence", () => {
  const feature: FeatureContext = { key: "10", name: "banner", enabled: false, value: "plain" };
  const override = (key: string, value: string, priority?: number): FeatureContext => ({
    key,
    name: "banner",
    enabled: true,
    value,
    ...(priority === undefined ? {} : { priority }),
  });
  const always: SegmentRule[] = [{ type: "ALL", conditions: [eq("plan", "pro")] }];

  function context(segments: EvaluationContext["segments"]): EvaluationContext {
    return {
      environment: ENVIRONMENT,
      identity: { identifier: "user-1", traits: { plan: "pro" } },
      segments,
      features: { banner: feature },
    };
  }

  it("the matched segment override with the lowest priority wins, whatever the segment order", () => {
    const result = evaluateBoth(
      context({
        "1": { key: "1", name: "first", rules: always, overrides: [override("101", "from first", 5)] },
        "2": { key: "2", name: "second", rules: always, overrides: [override("102", "from second", 1)] },
      }),
    );
    expect(result.flags.banner).toMatchObject({
      value: "from second",
      reason: "TARGETING_MATCH; segment=second",
    });
    expect(result.segments.map((segment) => segment.name)).toEqual(["first", "second"]);
  });

  it("on equal priority the first matched segment wins", () => {
    const result = evaluateBoth(
      context({
        "1": { key: "1", name: "first", rules: always, overrides: [override("101", "from first", 1)] },
        "2": { key: "2", name: "second", rules: always, overrides: [override("102", "from second", 1)] },
      }),
    );
    expect(result.flags.banner!.value).toBe("from first");
  });

  it("a segment that does not match does not override", () => {
    const result = evaluateBoth(
      context({
        "1": {
          key: "1",
          name: "free",
          rules: [{ type: "ALL", conditions: [eq("plan", "free")] }],
          overrides: [override("101", "for free", 1)],
        },
      }),
    );
    expect(result.flags.banner).toMatchObject({ enabled: false, value: "plain", reason: "DEFAULT" });
  });

  it("an identity override (priority -Infinity, as lib/flags/evaluation-context.ts builds it) beats segment overrides", () => {
    const result = evaluateBoth(
      context({
        "1": { key: "1", name: "pros", rules: always, overrides: [override("101", "for pros", -1000)] },
        "identity-override": {
          key: "",
          name: "identity_override",
          rules: [
            {
              type: "ALL",
              conditions: [{ property: "$.identity.identifier", operator: "IN", value: ["user-1"] }],
            },
          ],
          overrides: [override("900", "just for user-1", -Infinity)],
          metadata: { source: "identity_override" },
        },
      }),
    );
    expect(result.flags.banner).toMatchObject({ enabled: true, value: "just for user-1" });
    expect(result.flags.banner!.reason).toBe("TARGETING_MATCH; segment=identity_override");
  });

  it("a segment override with variants splits like the feature would", () => {
    const result = evaluateBoth(
      context({
        "1": {
          key: "1",
          name: "pros",
          rules: always,
          overrides: [
            { ...override("101", "control"), variants: [{ value: "gold", weight: 100, priority: 1 }] },
          ],
        },
      }),
    );
    expect(result.flags.banner).toMatchObject({ value: "gold", reason: "SPLIT; weight=100" });
  });

  it("without an identity no segment is evaluated", () => {
    const result = evaluateBoth({
      ...context({
        "1": { key: "1", name: "pros", rules: [{ type: "ALL" }], overrides: [override("1", "x")] },
      }),
      identity: undefined,
    });
    expect(result.segments).toEqual([]);
    expect(result.flags.banner!.reason).toBe("DEFAULT");
  });

  it("matchingSegmentNames lists the identity's segments in context order", () => {
    expect(
      matchingSegmentNames(
        context({
          b: { key: "b", name: "second", rules: always },
          a: { key: "a", name: "never", rules: [{ type: "ALL", conditions: [eq("plan", "free")] }] },
          c: { key: "c", name: "third", rules: always },
        }),
      ),
    ).toEqual(["second", "third"]);
  });
});
