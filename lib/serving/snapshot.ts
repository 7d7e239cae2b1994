import "server-only";
import { createHash } from "node:crypto";
import type { Db } from "@/lib/db/types";
import {
  evaluateContext,
  type ContextValue,
  type EvaluationContext,
  type EvaluationResult,
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

export interface SnapshotEnvironment {
  id: number;
  apiKey: string;
  name: string;
  projectId: number;
}

export interface SnapshotProject {
  id: number;
  name: string;
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
        project: { select: { id: true, name: true, organisation: { select: { id: true, name: true } } } },
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

/** Memoizes a serialized answer for the snapshot's lifetime, with a strong ETag of its bytes. */
export function memoized(
  snapshot: EnvironmentSnapshot,
  name: string,
  build: () => unknown,
): { body: string; etag: string } {
  let entry = snapshot.memo.get(name);
  if (!entry) {
    const body = JSON.stringify(build());
    entry = { body, etag: `"${createHash("sha1").update(body).digest("base64url")}"` };
    snapshot.memo.set(name, entry);
  }
  return entry;
}
