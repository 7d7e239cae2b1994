// npm run bench:engine [-- --iterations N]
// Evaluates all flags for one identity (20 traits) in an environment of 500 features (every
// fourth with variants) and 100 segments (3 levels of rules, every operator, ~5 overrides each),
// with Flagpost's engine and with flagsmith-nodejs's engine on the SAME context in the same run,
// and prints µs per evaluation (median, p99) and the ratio. Warm: the environment is evaluated
// for a new identity context each time (as an SDK endpoint does; Flagpost's compiled segments are
// reused). Cold: a fresh copy of the environment each time (Flagpost compiles it first), the two
// engines alternating.
// Both engines' results are compared first: the benchmark refuses to time engines that disagree.
import { isDeepStrictEqual } from "node:util";
import { performance } from "node:perf_hooks";
import { evaluateContext } from "@/lib/engine";
import type {
  ContextValue,
  EvaluationContext,
  FeatureContext,
  SegmentCondition,
  SegmentContext,
  SegmentRule,
} from "@/lib/engine";
// The package's `exports` only expose the SDK; its engine lives in the build tree.
import { getEvaluationResult } from "../node_modules/flagsmith-nodejs/build/esm/flagsmith-engine/index.js";

const args = process.argv.slice(2);
const iterationsArg = args.indexOf("--iterations");
const ITERATIONS = iterationsArg >= 0 ? Math.max(10, Number(args[iterationsArg + 1]) || 2000) : 2000;
const WARM_UP = Math.min(500, ITERATIONS);
const COLD_ITERATIONS = Math.max(10, Math.round(ITERATIONS / 10));
const FEATURES = 500;
const SEGMENTS = 100;

/** Seeded PRNG (mulberry32): the same environment on every run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(20261203);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

const TRAITS: Record<string, ContextValue> = {
  plan: "pro",
  country: "FR",
  age: 34,
  score: 72.5,
  beta: true,
  email: "alice@example.com",
  app_version: "2.4.1",
  device: "ios",
  locale: "fr-FR",
  signup_days: 412,
  company: "Acme",
  seats: 25,
  newsletter: false,
  browser: "firefox",
  team: "payments",
  role: "admin",
  tier: 3,
  region: "eu-west",
  referrer: "gitlab",
  ratio: 0.35,
};

const NUMERIC_TRAITS = ["age", "score", "signup_days", "seats", "tier", "ratio"];
const INTEGER_TRAITS = ["age", "signup_days", "seats", "tier"];
const STRING_TRAITS = Object.keys(TRAITS).filter((name) => typeof TRAITS[name] === "string");
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A condition that the benchmark identity meets when `meets` (most of the time: splits are random). */
function randomCondition(meets: boolean): SegmentCondition {
  const text = pick(STRING_TRAITS);
  const textValue = String(TRAITS[text]);
  const number = pick(NUMERIC_TRAITS);
  const numberValue = Number(TRAITS[number]);
  const integer = pick(INTEGER_TRAITS);
  const other = `other-${int(0, 999)}`;
  switch (int(0, 11)) {
    case 0:
      return { property: text, operator: "EQUAL", value: meets ? textValue : other };
    case 1:
      return { property: text, operator: "NOT_EQUAL", value: meets ? other : textValue };
    case 2:
      return {
        property: number,
        operator: "GREATER_THAN",
        value: String(numberValue + (meets ? -int(1, 9) : int(0, 9))),
      };
    case 3:
      return {
        property: number,
        operator: "LESS_THAN_INCLUSIVE",
        value: String(numberValue + (meets ? int(0, 9) : -int(1, 9))),
      };
    case 4:
      return { property: text, operator: "CONTAINS", value: meets ? textValue.slice(1, 3) : other };
    case 5:
      return { property: text, operator: "IN", value: meets ? `${other},${textValue},x` : `${other},y` };
    case 6:
      return {
        property: text,
        operator: "REGEX",
        value: `^${escapeRegex(meets ? textValue.slice(0, 2) : other)}.*$`,
      };
    case 7:
      return { property: integer, operator: "MODULO", value: `${int(2, 7)}|${meets ? 0 : 99}` };
    case 8:
      return {
        property: "app_version",
        operator: meets ? "GREATER_THAN_INCLUSIVE" : "LESS_THAN",
        value: `2.${int(0, 4)}.0:semver`,
      };
    case 9:
      return meets
        ? { property: pick(Object.keys(TRAITS)), operator: "IS_SET", value: null }
        : { property: pick(Object.keys(TRAITS)), operator: "IS_NOT_SET", value: null };
    case 10:
      return { property: "", operator: "PERCENTAGE_SPLIT", value: meets ? "90" : "10" };
    default:
      return {
        property: "$.identity.identifier",
        operator: meets ? "NOT_EQUAL" : "EQUAL",
        value: "blocked-user",
      };
  }
}

/** A rule tree three levels deep that matches for roughly a third of the segments. */
function randomRule(level: number): SegmentRule {
  const type = level === 1 ? "ALL" : pick(["ALL", "ANY", "NONE"] as const);
  // ALL: conditions the identity mostly meets; ANY: a mix; NONE: mostly conditions it does not meet.
  const meetsChance = type === "ALL" ? 0.93 : type === "ANY" ? 0.5 : 0.07;
  return {
    type,
    conditions: Array.from({ length: int(1, 3) }, () => randomCondition(random() < meetsChance)),
    rules: level < 3 ? Array.from({ length: int(1, 2) }, () => randomRule(level + 1)) : [],
  };
}

function feature(index: number, key: string, withVariants: boolean, priority?: number): FeatureContext {
  return {
    key,
    name: `feature_${index}`,
    enabled: random() < 0.5,
    value: pick(["on", "off", 1, 42, true, null]),
    ...(withVariants
      ? {
          variants: [
            { key: "a", value: "variant-a", weight: 30, priority: 1 },
            { key: "b", value: "variant-b", weight: 30, priority: 2 },
            { key: "c", value: "variant-c", weight: int(0, 40), priority: 3 },
          ],
        }
      : {}),
    ...(priority === undefined ? {} : { priority }),
    metadata: { id: index },
  };
}

function buildEnvironment(): Pick<EvaluationContext, "environment" | "features" | "segments"> {
  const features: Record<string, FeatureContext> = {};
  for (let i = 0; i < FEATURES; i++) features[`feature_${i}`] = feature(i, String(1000 + i), i % 4 === 0);
  const segments: Record<string, SegmentContext> = {};
  for (let s = 0; s < SEGMENTS; s++) {
    const key = String(1 + s);
    segments[key] = {
      key,
      name: `segment_${s}`,
      // 3 levels of rules: ALL → ALL/ANY/NONE → ALL/ANY/NONE.
      rules: [randomRule(1)],
      overrides: Array.from({ length: 5 }, () => {
        const index = int(0, FEATURES - 1);
        return feature(index, String(100_000 + s * 10 + index), index % 4 === 0, int(0, 100));
      }),
      metadata: { id: s + 1, source: "api" },
    };
  }
  return { environment: { key: "env-bench-key", name: "production" }, features, segments };
}

const environment = buildEnvironment();
const contextFor = (identifier: string): EvaluationContext => ({
  ...environment,
  identity: { identifier, traits: TRAITS },
});

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

interface Figures {
  median: number;
  p99: number;
}

/** µs per call of `run` over `iterations` calls, each given a context made by `make(i)` (untimed). */
function time(
  run: (context: EvaluationContext) => unknown,
  make: (i: number) => EvaluationContext,
  iterations: number,
) {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const context = make(i); // not timed
    const start = performance.now();
    run(context);
    samples.push((performance.now() - start) * 1000);
  }
  return { median: percentile(samples, 50), p99: percentile(samples, 99) } satisfies Figures;
}

const flagsmith = (context: EvaluationContext) =>
  getEvaluationResult(context as Parameters<typeof getEvaluationResult>[0]);

/** enabled, value, reason per flag and the matched segment names. */
function essentials(result: { flags: Record<string, unknown>; segments: { name: string }[] }) {
  return {
    flags: Object.values(result.flags).map((flag) => {
      const { name, enabled, value, reason } = flag as Record<string, unknown>;
      return { name, enabled, value, reason };
    }),
    segments: result.segments.map((segment) => segment.name),
  };
}

function main() {
  // Agreement first, over a few identities.
  let matchedSegments = 0;
  for (let i = 0; i < 50; i++) {
    const context = contextFor(`user-${i}`);
    const ours = essentials(evaluateContext(context));
    if (!isDeepStrictEqual(ours, essentials(flagsmith(context)))) {
      throw new Error(`the engines disagree for user-${i}: not timing them`);
    }
    matchedSegments += ours.segments.length;
  }

  const freshEnvironment = (i: number): EvaluationContext => ({
    ...structuredClone(environment),
    identity: { identifier: `cold-${i}`, traits: TRAITS },
  });
  const warmContext = (i: number) => contextFor(`user-${i}`);

  // Warm-up both engines (JIT), then measure them interleaved in two rounds to even out noise.
  time(evaluateContext, warmContext, WARM_UP);
  time(flagsmith, warmContext, WARM_UP);
  const rounds: { ours: Figures; theirs: Figures }[] = [];
  for (let round = 0; round < 2; round++) {
    rounds.push({
      ours: time(evaluateContext, warmContext, ITERATIONS),
      theirs: time(flagsmith, warmContext, ITERATIONS),
    });
  }
  const best = (pick: (round: (typeof rounds)[number]) => Figures): Figures => ({
    median: Math.min(...rounds.map((round) => pick(round).median)),
    p99: Math.min(...rounds.map((round) => pick(round).p99)),
  });
  const ours = best((round) => round.ours);
  const theirs = best((round) => round.theirs);
  // Cold runs alternate between the engines, one evaluation each, so that load from other
  // processes and the collections the copies cause fall on both alike.
  const coldOurs: number[] = [];
  const coldTheirs: number[] = [];
  for (let i = 0; i < COLD_ITERATIONS; i++) {
    coldOurs.push(time(evaluateContext, freshEnvironment, 1).median);
    coldTheirs.push(time(flagsmith, freshEnvironment, 1).median);
  }
  const oursCold: Figures = { median: percentile(coldOurs, 50), p99: percentile(coldOurs, 99) };
  const theirsCold: Figures = { median: percentile(coldTheirs, 50), p99: percentile(coldTheirs, 99) };

  const us = (value: number) => `${value.toFixed(1).padStart(8)} µs`;
  const line = (label: string, figures: Figures) =>
    `${label.padEnd(44)} median ${us(figures.median)}   p99 ${us(figures.p99)}`;
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  process.stdout.write(
    [
      `Engine benchmark: ${FEATURES} features (${FEATURES / 4} with variants), ${SEGMENTS} segments (3 levels of rules),`,
      `one identity with ${Object.keys(TRAITS).length} traits; ${(matchedSegments / 50).toFixed(1)} segments match on average.`,
      `Warm (${ITERATIONS} evaluations × 2 rounds after ${WARM_UP} warm-up, best round):`,
      line("  Flagpost (lib/engine)", ours),
      line("  Flagsmith (flagsmith-nodejs engine)", theirs),
      `  Flagpost / Flagsmith: median ${ratio(ours.median, theirs.median)}×, p99 ${ratio(ours.p99, theirs.p99)}×` +
        ` (below 1: Flagpost is faster)`,
      `Cold (a fresh copy of the environment each time, ${COLD_ITERATIONS} evaluations; Flagpost compiles it first):`,
      line("  Flagpost (lib/engine)", oursCold),
      line("  Flagsmith (flagsmith-nodejs engine)", theirsCold),
      `  Flagpost / Flagsmith: median ${ratio(oursCold.median, theirsCold.median)}×`,
      "",
    ].join("\n"),
  );
}

main();
