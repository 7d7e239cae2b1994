import "server-only";
import { notFound } from "@/lib/api/errors";
import { prisma } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import type {
  ContextValue,
  EvaluationContext,
  FeatureContext,
  FeatureValue,
  SegmentContext,
  SegmentRule,
} from "@/lib/engine";
import { fromStoredValue, type StoredValue } from "@/lib/flags/flag-values";
import { fromStoredTrait } from "@/lib/flags/identities";
import { optionValue } from "@/lib/flags/multivariate";
import type { MultivariateOption, Trait } from "@/lib/generated/prisma/client";

// The engine's evaluation context (Flagsmith's evaluation-context shape) for one environment,
// optionally with one identity. Two halves: loading reads the database in a fixed number of
// queries whatever the size of the environment; assembling is pure, so an in-memory snapshot of
// the loaded rows (the SDK endpoints) builds the same context without touching the database.
//
// Keys follow Flagsmith's SDK mapping, so variants split the same way here and in an SDK
// evaluating the environment document locally: a feature's key is its environment state's id, an
// override's key its own id, a variant's priority its option id; identity overrides are a segment
// matching the identifier whose overrides have priority -Infinity.

interface Weight {
  optionId: number;
  percentageAllocation: number;
}

interface StateRow extends StoredValue {
  id: number;
  enabled: boolean;
  multivariateValues: Weight[];
}

export interface EnvironmentData {
  environment: { id: number; apiKey: string; name: string };
  features: Array<{
    id: number;
    name: string;
    options: Pick<
      MultivariateOption,
      "id" | "type" | "stringValue" | "integerValue" | "booleanValue" | "defaultPercentageAllocation"
    >[];
    /** The environment-default state; a feature without one (being created) is left out. */
    state: StateRow | null;
  }>;
  segments: Array<{
    id: number;
    name: string;
    rules: unknown;
    overrides: Array<StateRow & { featureId: number; priority: number }>;
  }>;
}

export interface IdentityData {
  id: number;
  identifier: string;
  traits: Pick<Trait, "key" | "valueType" | "value">[];
  overrides: Array<StateRow & { featureId: number }>;
}

const stateSelect = {
  id: true,
  enabled: true,
  valueType: true,
  value: true,
  multivariateValues: { select: { optionId: true, percentageAllocation: true } },
} as const;

/** The environment's features, states, variants and segments with their overrides: three queries. */
export async function loadEnvironmentData(db: Db, environmentId: number): Promise<EnvironmentData> {
  const environment = await db.environment.findUnique({
    where: { id: environmentId },
    select: { id: true, apiKey: true, name: true, projectId: true },
  });
  if (!environment) throw notFound("Environment");
  const [features, segments] = await Promise.all([
    db.feature.findMany({
      where: { projectId: environment.projectId },
      orderBy: { id: "asc" },
      select: {
        id: true,
        name: true,
        multivariateOptions: {
          orderBy: { id: "asc" },
          select: {
            id: true,
            type: true,
            stringValue: true,
            integerValue: true,
            booleanValue: true,
            defaultPercentageAllocation: true,
          },
        },
        states: { where: { environmentId }, select: stateSelect },
      },
    }),
    db.segment.findMany({
      where: { projectId: environment.projectId },
      orderBy: { id: "asc" },
      select: {
        id: true,
        name: true,
        rules: true,
        overrides: {
          where: { environmentId },
          orderBy: { id: "asc" },
          select: { ...stateSelect, featureId: true, priority: true },
        },
      },
    }),
  ]);
  return {
    environment: { id: environment.id, apiKey: environment.apiKey, name: environment.name },
    features: features.map((feature) => ({
      id: feature.id,
      name: feature.name,
      options: feature.multivariateOptions,
      state: feature.states[0] ?? null,
    })),
    segments,
  };
}

/** One identity of the environment with its traits and overrides: one query. */
export async function loadIdentityData(
  db: Db,
  environmentId: number,
  identityId: number,
): Promise<IdentityData> {
  const identity = await db.identity.findFirst({
    where: { id: identityId, environmentId },
    select: {
      id: true,
      identifier: true,
      traits: { orderBy: { key: "asc" }, select: { key: true, valueType: true, value: true } },
      overrides: { orderBy: { featureId: "asc" }, select: { ...stateSelect, featureId: true } },
    },
  });
  if (!identity) throw notFound("Identity");
  return identity;
}

/** Variants of a state: weights of its own, else (environment defaults only) the options' defaults. */
function variantsOf(
  options: EnvironmentData["features"][number]["options"],
  own: Weight[],
  useDefaults: boolean,
): FeatureValue[] {
  const weights = new Map(own.map((weight) => [weight.optionId, weight.percentageAllocation]));
  const variants: FeatureValue[] = [];
  for (const option of options) {
    const weight = weights.get(option.id) ?? (useDefaults ? option.defaultPercentageAllocation : undefined);
    if (weight === undefined) continue;
    variants.push({
      key: String(option.id),
      value: optionValue(option) as ContextValue,
      weight,
      priority: option.id,
    });
  }
  return variants;
}

function featureContext(
  feature: EnvironmentData["features"][number],
  state: StateRow,
  options: { useDefaultWeights: boolean; priority?: number },
): FeatureContext {
  const context: FeatureContext = {
    key: String(state.id),
    name: feature.name,
    enabled: state.enabled,
    value: fromStoredValue(state.valueType, state.value),
    metadata: { id: feature.id },
  };
  const variants = variantsOf(feature.options, state.multivariateValues, options.useDefaultWeights);
  if (variants.length > 0) context.variants = variants;
  if (options.priority !== undefined) context.priority = options.priority;
  return context;
}

const IDENTITY_OVERRIDES_SEGMENT = "identity_overrides";

/** Pure: the evaluation context of the loaded environment (and identity). */
export function assembleEvaluationContext(
  data: EnvironmentData,
  identity?: IdentityData | null,
): EvaluationContext {
  const featuresById = new Map(data.features.map((feature) => [feature.id, feature]));
  const features: Record<string, FeatureContext> = {};
  for (const feature of data.features) {
    if (feature.state)
      features[feature.name] = featureContext(feature, feature.state, { useDefaultWeights: true });
  }

  const segments: Record<string, SegmentContext> = {};
  for (const segment of data.segments) {
    const overrides: FeatureContext[] = [];
    for (const override of segment.overrides) {
      const feature = featuresById.get(override.featureId);
      if (feature)
        overrides.push(
          featureContext(feature, override, { useDefaultWeights: false, priority: override.priority }),
        );
    }
    segments[String(segment.id)] = {
      key: String(segment.id),
      name: segment.name,
      rules: (Array.isArray(segment.rules) ? segment.rules : []) as SegmentRule[],
      overrides,
      metadata: { id: segment.id, source: "api" },
    };
  }

  if (!identity)
    return { environment: { key: data.environment.apiKey, name: data.environment.name }, features, segments };

  const identityOverrides: FeatureContext[] = [];
  for (const override of identity.overrides) {
    const feature = featuresById.get(override.featureId);
    if (feature)
      identityOverrides.push(
        featureContext(feature, override, { useDefaultWeights: false, priority: -Infinity }),
      );
  }
  if (identityOverrides.length > 0) {
    const key = `identity_override_${identity.id}`;
    segments[key] = {
      key,
      name: IDENTITY_OVERRIDES_SEGMENT,
      rules: [
        {
          type: "ALL",
          conditions: [{ property: "$.identity.identifier", operator: "IN", value: [identity.identifier] }],
        },
      ],
      overrides: identityOverrides,
      metadata: { source: "identity_override" },
    };
  }
  return {
    environment: { key: data.environment.apiKey, name: data.environment.name },
    identity: {
      identifier: identity.identifier,
      traits: Object.fromEntries(identity.traits.map((trait) => [trait.key, fromStoredTrait(trait)])),
    },
    features,
    segments,
  };
}

/** Loads and assembles the context of an environment, with one of its identities when given. */
export async function buildEvaluationContext(
  environmentId: number,
  identityId?: number,
  db: Db = prisma,
): Promise<EvaluationContext> {
  const [data, identity] = await Promise.all([
    loadEnvironmentData(db, environmentId),
    identityId === undefined ? Promise.resolve(null) : loadIdentityData(db, environmentId, identityId),
  ]);
  return assembleEvaluationContext(data, identity);
}
