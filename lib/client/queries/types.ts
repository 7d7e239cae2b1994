import type { Page } from "@/lib/api/pagination";
import type { describeActor } from "@/lib/auth/me";
import type { serializeAuditEntry } from "@/lib/audit/audit-log";
import type { serializeEnvironment } from "@/lib/flags/environments";
import type { serializeEnvironmentState, serializeFeatureState } from "@/lib/flags/feature-states";
import type { serializeFeature } from "@/lib/flags/features";
import type { serializeProjectMember } from "@/lib/flags/project-members";
import type { serializeProject } from "@/lib/flags/projects";
import type { serializeSegmentOverride } from "@/lib/flags/segment-overrides";
import type { evaluatedFlagsOfIdentity } from "@/lib/flags/evaluated-flags";
import type { serializeIdentity, serializeTrait } from "@/lib/flags/identities";
import type { serializeIdentityOverride } from "@/lib/flags/identity-overrides";
import type {
  serializeAllocation,
  serializeMultivariateOption,
  withMultivariateValues,
} from "@/lib/flags/multivariate";
import type { serializeSegment, testSegmentRules } from "@/lib/flags/segments";
import type { serializeTag } from "@/lib/flags/tags";
import type { serializeApiKey } from "@/lib/organisations/organisation-api-keys";
import type { serializeServerKey } from "@/lib/flags/server-keys";
import type { serializeOrganisationUser } from "@/lib/organisations/organisation-users";
import type { serializeOrganisation } from "@/lib/organisations/organisations";
import type { FlagValue } from "@/lib/validations/common";

// Shapes of the API answers (docs/api.md), taken from the server's serialize functions so the two
// cannot drift. Type-only imports: nothing of the server reaches the browser bundle.

export type { OrganisationRole, ProjectRole } from "@/lib/generated/prisma/enums";
export type { FlagValue, Page };

export type Organisation = ReturnType<typeof serializeOrganisation>;
/** Who is calling: a person (id, email, name) or an API key (api_key). */
export type Me = Awaited<ReturnType<typeof describeActor>>;
export type Project = ReturnType<typeof serializeProject>;
export type Environment = ReturnType<typeof serializeEnvironment>;
export type EnvironmentState = ReturnType<typeof serializeEnvironmentState>;
export type Feature = ReturnType<typeof serializeFeature>;
export type FeatureState = ReturnType<typeof serializeFeatureState>;
export type Segment = ReturnType<typeof serializeSegment>;
export type SegmentOverride = ReturnType<typeof serializeSegmentOverride>;
export type Tag = ReturnType<typeof serializeTag>;
export type AuditEntry = ReturnType<typeof serializeAuditEntry>;
export type ProjectMember = ReturnType<typeof serializeProjectMember>;
export type OrganisationUser = ReturnType<typeof serializeOrganisationUser>;
export type ApiKey = ReturnType<typeof serializeApiKey>;
export type ServerKey = ReturnType<typeof serializeServerKey>;
export type CreatedServerKey = ServerKey & { key: string };
export type CreatedApiKey = ApiKey & {
  /** The whole key: only in the creation answer, never again. */
  key: string;
};

// Evaluation (identities, traits, identity overrides, variants, the segment tester).
export type Identity = ReturnType<typeof serializeIdentity>;
export type Trait = ReturnType<typeof serializeTrait>;
export type IdentityOverride = ReturnType<typeof serializeIdentityOverride>;
export type EvaluatedFlags = Awaited<ReturnType<typeof evaluatedFlagsOfIdentity>>;
export type MultivariateOption = ReturnType<typeof serializeMultivariateOption>;
export type VariantWeight = ReturnType<typeof serializeAllocation>;
/** A state as GET/PATCH featurestates/{id}/ answer it: with every option's effective weight. */
export type FeatureStateWithWeights = Awaited<ReturnType<typeof withMultivariateValues<FeatureState>>>;
export type SegmentTestResult = Awaited<ReturnType<typeof testSegmentRules>>;
