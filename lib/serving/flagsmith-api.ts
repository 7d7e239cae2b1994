import "server-only";
import { z } from "zod";
import type { Database } from "@/lib/db/open-database";
import type { TraitValueType } from "@/lib/generated/prisma/client";
import type { ContextValue, FeatureContext, FlagResult, SegmentRule } from "@/lib/engine";
import { fromStoredTrait } from "@/lib/flags/identities";
import {
  evaluateIdentityDifferences,
  fragmentCache,
  memoized,
  memoizedText,
  segmentsFor,
  type EnvironmentSnapshot,
} from "@/lib/serving/snapshot";
import { environmentForKey, SdkError, type SdkProtocol } from "@/lib/serving/sdk-route";
import { perDatabase } from "@/lib/db/per-database";
import { BatchedStatement } from "@/lib/db/batched-statement";
import { identityKey, storedIdentityCache, type StoredIdentity } from "@/lib/serving/stored-identities";
import { traitWriter } from "@/lib/serving/trait-writer";
import {
  identifierField,
  traitKeyField,
  traitValueField,
  type TraitValue,
} from "@/lib/validations/evaluation";

// Flagsmith's SDK API (sdk/openapi.yaml) answered from a snapshot: the environment's flags, an
// identity's flags and traits, and the environment document for local evaluation. Shapes are
// Flagsmith's, field by field, so its SDKs work by changing only their API URL.

/** Flagsmith (Django REST framework) errors: `{ "detail": "…" }`, field errors by field. */
export const flagsmithProtocol: SdkProtocol = {
  error: (status, message) => new SdkError(status, { detail: message }),
};

export const MAX_IDENTITY_BODY_BYTES = 256 * 1024;
const MAX_SDK_TRAITS = 200;

// ---- environment flags ----------------------------------------------------------------------

function featureType(feature: FeatureContext | undefined) {
  return feature?.variants?.length ? "MULTIVARIATE" : "STANDARD";
}

function flagJson(snapshot: EnvironmentSnapshot, name: string, flag: FlagResult) {
  const feature = snapshot.context.features?.[name];
  return {
    id: feature ? Number(feature.key) : null,
    feature: { id: snapshot.featureIds.get(name) ?? null, name, type: featureType(feature) },
    feature_state_value: flag.value,
    enabled: flag.enabled,
    environment: snapshot.environment.id,
    identity: null,
    feature_segment: null,
  };
}

/** Flagsmith's flag JSON depends on the flag's enabled state and value only (and the snapshot). */
function flagFragments(snapshot: EnvironmentSnapshot) {
  return fragmentCache(snapshot, "flagsmith", false, (name, flag) => flagJson(snapshot, name, flag));
}

/** GET /api/v1/flags/: serialized once per snapshot. */
export function environmentFlags(snapshot: EnvironmentSnapshot) {
  return memoizedText(snapshot, "flagsmith-flags", () =>
    flagFragments(snapshot).jsonArray(snapshot.environmentResult.flags, {
      onlyEnabled: snapshot.project.hideDisabledFlags,
    }),
  );
}

// ---- identities -----------------------------------------------------------------------------

const traitInput = z.object({
  trait_key: traitKeyField,
  trait_value: traitValueField.nullable(),
  transient: z.boolean().optional(),
});

export const identityBody = z.object({
  identifier: identifierField,
  traits: z
    .array(traitInput)
    .max(MAX_SDK_TRAITS, `At most ${MAX_SDK_TRAITS} traits per request`)
    .optional()
    .default([]),
  transient: z.boolean().optional().default(false),
});
export type IdentityInput = z.infer<typeof identityBody>;

export const identityQuery = z.object({
  identifier: identifierField,
  transient: z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((value) => value === "true" || value === "1"),
});

/** DRF's field-error shape for an invalid body or query. */
/** The environment of the request's X-Environment-Key, Flagsmith's SDK header. */
export const flagsmithEnvironment = (db: Database, req: Request, options?: { serverSide?: boolean }) =>
  environmentForKey(flagsmithProtocol, db, req.headers.get("x-environment-key"), options);

/** A JSON body or query checked against `schema`, or Flagsmith's field-by-field 400. */
export function flagsmithInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw flagsmithValidationError(parsed.error);
  return parsed.data;
}

function flagsmithValidationError(error: z.ZodError): SdkError {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = issue.path.join(".") || "non_field_errors";
    (fields[field] ??= []).push(issue.message);
  }
  return new SdkError(400, fields);
}

interface TraitAnswer {
  trait_key: string;
  trait_value: TraitValue;
  transient?: boolean;
}

/** Stored traits are rewritten only when they change; an unchanged identity records that it was seen this often. */
const LAST_SEEN_RESOLUTION_MS = 10 * 60_000;

/**
 * An identity's flags: its stored traits (plus this instance's unwritten ones), overlaid by the
 * request's traits (null deletes), evaluated against the snapshot. Persisting the identity and the
 * non-transient traits that changed is queued (TraitWriter) unless the identity itself is
 * transient. Answers the response body as JSON text (joined from the snapshot's fragments).
 */
export async function identityFlags(
  db: Database,
  snapshot: EnvironmentSnapshot,
  input: IdentityInput,
): Promise<string> {
  const environmentId = snapshot.environment.id;
  const writer = traitWriter(db);
  const stored = await readStoredIdentity(db, environmentId, input.identifier);
  const traits = new Map<string, TraitAnswer>();
  for (const trait of stored?.traits ?? [])
    traits.set(trait.key, { trait_key: trait.key, trait_value: fromStoredTrait(trait) });
  for (const [key, value] of writer.unwritten(environmentId, input.identifier) ?? []) {
    if (value === null) traits.delete(key);
    else traits.set(key, { trait_key: key, trait_value: value });
  }

  const changes: Array<[string, TraitValue | null]> = [];
  for (const trait of input.traits) {
    const transient = input.transient || trait.transient === true;
    const before = traits.get(trait.trait_key);
    // SDKs send the same traits again and again: only a different value is written.
    if (!transient && (trait.trait_value === null ? before : before?.trait_value !== trait.trait_value))
      changes.push([trait.trait_key, trait.trait_value]);
    if (trait.trait_value === null) traits.delete(trait.trait_key);
    else
      traits.set(trait.trait_key, {
        trait_key: trait.trait_key,
        trait_value: trait.trait_value,
        ...(transient && { transient: true }),
      });
  }
  const seenLongAgo = stored !== null && (stored.lastSeenAt ?? 0) < Date.now() - LAST_SEEN_RESOLUTION_MS;
  if (!input.transient && (!stored || changes.length > 0 || seenLongAgo))
    writer.enqueue(environmentId, input.identifier, changes);

  const context: Record<string, ContextValue> = {};
  for (const trait of traits.values()) context[trait.trait_key] = trait.trait_value;
  // Only the flags that differ from the environment's are evaluated and serialized.
  const differences = evaluateIdentityDifferences(snapshot, input.identifier, context);
  const flags = flagFragments(snapshot).answerWith(
    snapshot.environmentResult.flags,
    differences,
    { onlyEnabled: snapshot.project.hideDisabledFlags },
    (json) => json,
  );
  return `{"identifier":${JSON.stringify(input.identifier)},"flags":${flags},"traits":${JSON.stringify([...traits.values()])}}`;
}

/**
 * The identity's stored traits (null: not stored yet): from memory on the embedded database
 * (StoredIdentityCache), else from the database, with the concurrent requests' reads sent as one
 * plain query (it runs on every identity request; through Prisma it cost more than evaluating 500
 * flags).
 */
function readStoredIdentity(
  db: Database,
  environmentId: number,
  identifier: string,
): Promise<StoredIdentity | null> {
  const cache = storedIdentityCache(db);
  const load = () => storedIdentityLoader(db).run({ environmentId, identifier });
  return cache ? cache.read(identityKey(environmentId, identifier), load) : load();
}

type IdentityRef = { environmentId: number; identifier: string };

const storedIdentityLoader = perDatabase(
  "storedIdentityLoader",
  (db: Database) =>
    new BatchedStatement<IdentityRef, StoredIdentity>(
      (ref) => identityKey(ref.environmentId, ref.identifier),
      (refs) => queryStoredIdentities(db, refs),
    ),
);

async function queryStoredIdentities(
  db: Database,
  refs: IdentityRef[],
): Promise<Map<string, StoredIdentity>> {
  const rows = await db.sql.query<{
    environment_id: number;
    identifier: string;
    last_seen_ms: number | null;
    key: string | null;
    value_type: TraitValueType | null;
    value: string | null;
  }>(
    `SELECT i.environment_id, i.identifier, (extract(epoch FROM i.last_seen_at) * 1000)::float8 AS last_seen_ms,
            t.key, t.value_type, t.value
       FROM unnest($1::int[], $2::text[]) AS wanted(environment_id, identifier)
       JOIN identities i USING (environment_id, identifier)
       LEFT JOIN traits t ON t.identity_id = i.id
      ORDER BY t.key`,
    [refs.map((ref) => ref.environmentId), refs.map((ref) => ref.identifier)],
  );
  const identities = new Map<
    string,
    { lastSeenAt: number | null; traits: Array<StoredIdentity["traits"][number]> }
  >();
  for (const row of rows) {
    const key = identityKey(row.environment_id, row.identifier);
    let identity = identities.get(key);
    if (!identity) identities.set(key, (identity = { lastSeenAt: row.last_seen_ms, traits: [] }));
    if (row.key !== null && row.value_type !== null && row.value !== null)
      identity.traits.push({ key: row.key, valueType: row.value_type, value: row.value });
  }
  return identities;
}

// ---- analytics ------------------------------------------------------------------------------

const MAX_ANALYTICS_FEATURES = 2_000;

/** POST /api/v1/analytics/flags/: `{ feature name: evaluations since the last post }`. */
export const analyticsBody = z
  .record(
    z.string().min(1).max(2000),
    z
      .number({ error: "Counts must be numbers" })
      .int("Counts must be whole numbers")
      .min(0)
      .max(1_000_000_000),
  )
  .refine((counts) => Object.keys(counts).length <= MAX_ANALYTICS_FEATURES, {
    message: `At most ${MAX_ANALYTICS_FEATURES} features per request`,
  });

// ---- environment document -------------------------------------------------------------------

function featureStateJson(snapshot: EnvironmentSnapshot, feature: FeatureContext, priority?: number) {
  return {
    feature: {
      id: (feature.metadata?.id as number | undefined) ?? snapshot.featureIds.get(feature.name) ?? null,
      name: feature.name,
      type: featureType(feature),
    },
    enabled: feature.enabled,
    django_id: Number(feature.key),
    featurestate_uuid: null,
    feature_state_value: feature.value,
    feature_segment: priority === undefined ? null : { priority },
    // Flagsmith's SDKs order variants by this id: it is the option id, as in our own context.
    multivariate_feature_state_values: (feature.variants ?? []).map((variant) => ({
      id: variant.priority,
      multivariate_feature_option: { id: Number(variant.key), value: variant.value },
      percentage_allocation: variant.weight,
      mv_fs_value_uuid: null,
    })),
  };
}

function ruleJson(rule: SegmentRule): unknown {
  return {
    type: rule.type,
    rules: (rule.rules ?? []).map(ruleJson),
    conditions: (rule.conditions ?? []).map((condition) => ({
      operator: condition.operator,
      property_: condition.property,
      value: condition.value,
    })),
  };
}

/** GET /api/v1/environment-document/: everything an SDK needs to evaluate locally. */
export function environmentDocument(snapshot: EnvironmentSnapshot) {
  return memoized(snapshot, "flagsmith-document", () => {
    const { environment, project, context } = snapshot;
    const identityOverrides = [...snapshot.identitiesWithOverrides.values()].map((identity) => {
      // The identity's own override segment, assembled exactly as the server evaluates it.
      const segments = Object.values(segmentsFor(snapshot, identity.identifier) ?? {}).filter(
        (segment) => segment.metadata?.source === "identity_override",
      );
      return {
        identifier: identity.identifier,
        identity_uuid: null,
        django_id: identity.id,
        created_date: snapshot.builtAt.toISOString(),
        environment_api_key: environment.apiKey,
        identity_traits: [],
        identity_features: segments.flatMap((segment) =>
          (segment.overrides ?? []).map((feature) => featureStateJson(snapshot, feature)),
        ),
      };
    });
    return {
      id: environment.id,
      api_key: environment.apiKey,
      name: environment.name,
      project: {
        id: project.id,
        name: project.name,
        hide_disabled_flags: project.hideDisabledFlags,
        organisation: {
          id: project.organisation.id,
          name: project.organisation.name,
          feature_analytics: false,
          stop_serving_flags: false,
          persist_trait_data: true,
        },
        segments: Object.values(context.segments ?? {}).map((segment) => ({
          id: Number(segment.key),
          name: segment.name,
          rules: segment.rules.map(ruleJson),
          feature_states: (segment.overrides ?? []).map((feature) =>
            featureStateJson(snapshot, feature, feature.priority),
          ),
        })),
      },
      feature_states: Object.values(context.features ?? {}).map((feature) =>
        featureStateJson(snapshot, feature),
      ),
      identity_overrides: identityOverrides,
      updated_at: snapshot.builtAt.toISOString(),
    };
  });
}
