import "server-only";
import { createHash } from "node:crypto";
import type { Db } from "@/lib/db/types";
import {
  evaluateContext,
  evaluateDifferences,
  type ContextValue,
  type EvaluationContext,
  type EvaluationResult,
  type FlagResult,
  type SegmentContext,
} from "@/lib/engine";
import {
  assembleEvaluationContext,
  loadEnvironmentData,
  type EnvironmentData,
  type IdentityData,
} from "@/lib/flags/evaluation-context";

// One environment as the SDK endpoints serve it: loaded from the database once (a fixed number of
// queries), assembled into the engine's evaluation context, compiled by the engine (its cache is
// keyed by the context's `features` / `segments` objects, which live as long as the snapshot) and
// with the answers that do not depend on an identity computed up front. Immutable: a change builds
// a new snapshot; requests holding the old one finish with it.

interface SnapshotEnvironment {
  id: number;
  apiKey: string;
  name: string;
  projectId: number;
}

interface SnapshotProject {
  id: number;
  name: string;
  /** Flagsmith's hide_disabled_flags: the Flagsmith SDK API leaves disabled flags out. */
  hideDisabledFlags: boolean;
  organisation: { id: number; name: string };
}

export interface EnvironmentSnapshot {
  environment: SnapshotEnvironment;
  project: SnapshotProject;
  data: EnvironmentData;
  /** The identity-less context; its `features` and `segments` objects are shared by every evaluation. */
  context: EvaluationContext;
  /** Identities of the environment that have overrides, by identifier. */
  identitiesWithOverrides: Map<string, IdentityData>;
  /** Feature names → ids (for the protocols' answers). */
  featureIds: Map<string, number>;
  /** The environment's flags without an identity, evaluated once. */
  environmentResult: EvaluationResult;
  builtAt: Date;
  /** Segments object per identity with overrides (their override segment appended), built on first use. */
  segmentsByIdentifier: Map<string, Record<string, SegmentContext>>;
  /** Per-snapshot memo of serialized answers (Flagsmith flags list, document, OFREP bulk). */
  memo: Map<string, { body: string; etag: string }>;
  /** Serialized flags per protocol, reused by every identity that gets the same answer. */
  fragments: Map<string, FragmentCache>;
}

/** Loads one environment with everything evaluation needs (five queries) and prepares it. */
export async function buildSnapshot(db: Db, environmentId: number): Promise<EnvironmentSnapshot> {
  const [data, environment, identities] = await Promise.all([
    loadEnvironmentData(db, environmentId),
    db.environment.findUniqueOrThrow({
      where: { id: environmentId },
      select: {
        id: true,
        apiKey: true,
        name: true,
        projectId: true,
        project: {
          select: {
            id: true,
            name: true,
            hideDisabledFlags: true,
            organisation: { select: { id: true, name: true } },
          },
        },
      },
    }),
    db.identity.findMany({
      where: { environmentId, overrides: { some: {} } },
      orderBy: { id: "asc" },
      select: {
        id: true,
        identifier: true,
        overrides: {
          orderBy: { featureId: "asc" },
          select: {
            id: true,
            enabled: true,
            valueType: true,
            value: true,
            featureId: true,
            multivariateValues: { select: { optionId: true, percentageAllocation: true } },
          },
        },
      },
    }),
  ]);
  const context = assembleEvaluationContext(data);
  Object.freeze(context.features);
  Object.freeze(context.segments);
  return {
    environment: {
      id: environment.id,
      apiKey: environment.apiKey,
      name: environment.name,
      projectId: environment.projectId,
    },
    project: environment.project,
    data,
    context,
    identitiesWithOverrides: new Map(
      identities.map((identity) => [identity.identifier, { ...identity, traits: [] }]),
    ),
    featureIds: new Map(data.features.map((feature) => [feature.name, feature.id])),
    // Compiles the features once here rather than on the first request.
    environmentResult: evaluateContext(context),
    builtAt: new Date(),
    segmentsByIdentifier: new Map(),
    memo: new Map(),
    fragments: new Map(),
  };
}

/** The segments an identity is evaluated against: the environment's, plus its own overrides. */
export function segmentsFor(snapshot: EnvironmentSnapshot, identifier: string) {
  const identity = snapshot.identitiesWithOverrides.get(identifier);
  if (!identity) return snapshot.context.segments;
  let segments = snapshot.segmentsByIdentifier.get(identifier);
  if (!segments) {
    segments = assembleEvaluationContext(snapshot.data, identity).segments ?? {};
    snapshot.segmentsByIdentifier.set(identifier, segments);
  }
  return segments;
}

/** Evaluates every flag for one identity with the given traits; pure, no database. */
export function evaluateIdentity(
  snapshot: EnvironmentSnapshot,
  identifier: string,
  traits: Record<string, ContextValue>,
): EvaluationResult {
  return evaluateContext({
    environment: snapshot.context.environment,
    features: snapshot.context.features,
    segments: segmentsFor(snapshot, identifier),
    identity: { identifier, traits },
  });
}

/**
 * The flags for which one identity's answer differs from the environment's (`environmentResult`):
 * what `evaluateIdentity` answers, in time proportional to the segments and the differences.
 */
export function evaluateIdentityDifferences(
  snapshot: EnvironmentSnapshot,
  identifier: string,
  traits: Record<string, ContextValue>,
): Map<string, FlagResult> {
  return evaluateDifferences({
    environment: snapshot.context.environment,
    features: snapshot.context.features,
    segments: segmentsFor(snapshot, identifier),
    identity: { identifier, traits },
  }).flags;
}

/** Memoizes a serialized answer for the snapshot's lifetime, with a strong ETag of its bytes. */
export function memoized(
  snapshot: EnvironmentSnapshot,
  name: string,
  build: () => unknown,
): { body: string; etag: string } {
  return memoizedText(snapshot, name, () => JSON.stringify(build()));
}

/** memoized() for an answer already serialized. */
export function memoizedText(
  snapshot: EnvironmentSnapshot,
  name: string,
  build: () => string,
): { body: string; etag: string } {
  let entry = snapshot.memo.get(name);
  if (!entry) {
    const body = build();
    entry = { body, etag: strongEtag(body) };
    snapshot.memo.set(name, entry);
  }
  return entry;
}

/** A strong ETag of a body's bytes. */
export function strongEtag(body: string): string {
  return `"${createHash("sha1").update(body).digest("base64url")}"`;
}

// An identity's answer lists every flag of the environment, and nearly all of them are the same for
// every identity: the environment default, or the override of a segment it matched. Serializing 500
// flags per request dominated the identity endpoints, so each distinct flag answer is serialized
// once per snapshot and the response is joined from those strings. An entry is reused only when
// every field the serialization reads is equal (a strict comparison of primitives), so the
// cached text is always exactly what serializing the flag would produce.

const MAX_ANSWERS_PER_FLAG = 16;
const MAX_CACHED_ANSWERS = 50_000;
// Whole answers (answerWith): a few hundred distinct ones, at most 16 million characters per cache.
const MAX_MEMOIZED_ANSWERS = 500;
const MAX_MEMOIZED_CHARS = 16_000_000;

interface Layout {
  id: number;
  parts: string[];
  index: Map<string, number>;
}

interface CachedFragment {
  enabled: boolean;
  value: ContextValue;
  reason: string;
  variant: string | null;
  json: string;
}

export class FragmentCache {
  private byName = new Map<string, CachedFragment[]>();
  private size = 0;
  /** Per base result (jsonArrayWith): its fragments in order, and each flag's position. */
  private layouts = new WeakMap<object, Layout>();
  /** answerWith()'s memo: answers by the flags they contain, and the JSON text they hold. */
  private answers = new Map<string, unknown>();
  private answersChars = 0;
  private nextLayoutId = 0;

  constructor(
    /** Whether the serialization reads `reason` and `variant` (OFREP) or only enabled and value. */
    private readonly readsReason: boolean,
    private readonly serialize: (name: string, flag: FlagResult) => unknown,
  ) {}

  /** The flag's JSON text. */
  json(name: string, flag: FlagResult): string {
    const entries = this.byName.get(name);
    if (entries)
      for (const entry of entries)
        if (
          entry.enabled === flag.enabled &&
          entry.value === flag.value &&
          (!this.readsReason || (entry.reason === flag.reason && entry.variant === flag.variant))
        )
          return entry.json;
    const json = JSON.stringify(this.serialize(name, flag));
    if (this.size < MAX_CACHED_ANSWERS && (entries?.length ?? 0) < MAX_ANSWERS_PER_FLAG) {
      const entry = {
        enabled: flag.enabled,
        value: flag.value,
        reason: flag.reason,
        variant: flag.variant,
        json,
      };
      if (entries) entries.push(entry);
      else this.byName.set(name, [entry]);
      this.size += 1;
    }
    return json;
  }

  /**
   * jsonArray(base) with some of its flags replaced by `changes` — the same text, without touching
   * the flags that did not change: the array of `base`'s fragments is kept (one per base object).
   */
  jsonArrayWith(
    base: Record<string, FlagResult>,
    changes: Map<string, FlagResult>,
    { onlyEnabled = false } = {},
  ): string {
    const layout = this.layoutOf(base);
    const parts = layout.parts.slice();
    for (const [name, flag] of changes) {
      const at = layout.index.get(name);
      // Not a flag of the base: cannot come from the same context; answer the slow way.
      if (at === undefined)
        return this.jsonArray({ ...base, ...Object.fromEntries(changes) }, { onlyEnabled });
      parts[at] = this.json(name, flag);
    }
    if (!onlyEnabled) return `[${parts.join(",")}]`;
    const enabled: string[] = [];
    let at = 0;
    for (const name in base) {
      if ((changes.get(name) ?? base[name]!).enabled) enabled.push(parts[at]!);
      at += 1;
    }
    return `[${enabled.join(",")}]`;
  }

  /**
   * build(jsonArrayWith(…)), memoized: identities that match the same segments (and fall in the
   * same variants) get the same flags, so their answer is built once per snapshot. The memo key is
   * each changed flag's position, enabled state and JSON text, which determine the array's text.
   * A cache has one `build` (one protocol's answer shape).
   */
  answerWith<T>(
    base: Record<string, FlagResult>,
    changes: Map<string, FlagResult>,
    { onlyEnabled = false } = {},
    build: (flagsJson: string) => T,
  ): T {
    const layout = this.layoutOf(base);
    let key = `${layout.id}${onlyEnabled ? "E" : "A"}`;
    for (const [name, flag] of changes) {
      const at = layout.index.get(name);
      if (at === undefined) return build(this.jsonArrayWith(base, changes, { onlyEnabled }));
      // JSON text never holds a raw control character: the separators cannot be confused with it.
      key += `\u0001${at}${flag.enabled ? "+" : "-"}${this.json(name, flag)}`;
    }
    const known = this.answers.get(key);
    if (known !== undefined) return known as T;
    const json = this.jsonArrayWith(base, changes, { onlyEnabled });
    const answer = build(json);
    if (this.answers.size < MAX_MEMOIZED_ANSWERS && this.answersChars + json.length <= MAX_MEMOIZED_CHARS) {
      this.answers.set(key, answer);
      this.answersChars += json.length;
    }
    return answer;
  }

  private layoutOf(base: Record<string, FlagResult>): Layout {
    let layout = this.layouts.get(base);
    if (!layout) {
      const parts: string[] = [];
      const index = new Map<string, number>();
      for (const name in base) {
        index.set(name, parts.length);
        parts.push(this.json(name, base[name]!));
      }
      layout = { id: this.nextLayoutId++, parts, index };
      this.layouts.set(base, layout);
    }
    return layout;
  }

  /** A JSON array of every flag of a result (or only the enabled ones), in the result's order. */
  jsonArray(flags: Record<string, FlagResult>, { onlyEnabled = false } = {}): string {
    const parts: string[] = [];
    for (const name in flags) {
      const flag = flags[name]!;
      if (!onlyEnabled || flag.enabled) parts.push(this.json(name, flag));
    }
    return `[${parts.join(",")}]`;
  }
}

/** The snapshot's fragment cache for one protocol's flag serialization. */
export function fragmentCache(
  snapshot: EnvironmentSnapshot,
  name: string,
  readsReason: boolean,
  serialize: (name: string, flag: FlagResult) => unknown,
): FragmentCache {
  let cache = snapshot.fragments.get(name);
  if (!cache) {
    cache = new FragmentCache(readsReason, serialize);
    snapshot.fragments.set(name, cache);
  }
  return cache;
}
