import { z } from "zod";
import {
  booleanQuery,
  descriptionField,
  flagValue,
  hexColor,
  idField,
  idList,
  idQuery,
  nameField,
  searchQuery,
} from "@/lib/validations/common";
import { gitlabUsernameField } from "@/lib/validations/gitlab-username";
import { multivariateValuesField } from "@/lib/validations/evaluation";
import { segmentRulesField } from "@/lib/validations/segment-rules";

// Request bodies and list filters of the core API (projects, environments, features, states,
// segments, tags, members). Route handlers parse with these; forms validate with the same schemas.

export const createProjectBody = z.object({
  name: nameField("Project name"),
  organisation: idField.optional(),
  /** Also create "Development" and "Production" environments. */
  create_default_environments: z.boolean().optional(),
});
export const updateProjectBody = z.object({
  name: nameField("Project name").optional(),
  stale_flag_threshold_days: z.number().int().min(1).max(365).optional(),
  /** Flagsmith's setting: SDK answers (flags, identities, environment document) leave disabled flags out. */
  hide_disabled_flags: z.boolean().optional(),
});

/** An environment named like production is protected unless the request says otherwise. */
const environmentName = nameField("Environment name", 100);
/** The create and rename dialogs only ask for a name. */
export const environmentNameBody = z.object({ name: environmentName });
export const createEnvironmentBody = z.object({
  name: environmentName,
  project: idField,
  protected: z.boolean().optional(),
});
export const updateEnvironmentBody = z
  .object({ name: environmentName.optional(), protected: z.boolean().optional() })
  .refine((body) => body.name !== undefined || body.protected !== undefined, {
    message: "Send `name` or `protected`",
  });

export type UpdateEnvironmentInput = z.infer<typeof updateEnvironmentBody>;

/** Whether a new environment of this name starts protected ("Production", "prod-eu", …). */
export function isProductionName(name: string): boolean {
  return /\bprod(uction)?\b/i.test(name.replace(/[_-]/g, " "));
}

const featureName = nameField("Feature name", 150).regex(
  /^[A-Za-z0-9_.:-]+$/,
  "Feature names may contain letters, digits, '_', '-', '.' and ':' only",
);

export const createFeatureBody = z.object({
  name: featureName,
  description: descriptionField.optional(),
  default_enabled: z.boolean().optional(),
  initial_value: flagValue.optional(),
  tags: z.array(idField).max(50).optional(),
});
export const updateFeatureBody = z.object({
  name: featureName.optional(),
  description: descriptionField.optional(),
  default_enabled: z.boolean().optional(),
  initial_value: flagValue.optional(),
  tags: z.array(idField).max(50).optional(),
  /** Long-lived flags (kill switches) never count as stale. */
  is_permanent: z.boolean().optional(),
  /** true archives (hidden from the list and GitLab status notes, history kept); false restores. */
  is_archived: z.boolean().optional(),
});

export const updateFeatureStateBody = z
  .object({
    enabled: z.boolean().optional(),
    feature_state_value: flagValue.optional(),
    multivariate_feature_state_values: multivariateValuesField.optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: "Send `enabled`, `feature_state_value` or `multivariate_feature_state_values`",
  });

export const createSegmentBody = z.object({
  name: nameField("Segment name", 100),
  description: descriptionField.optional(),
  rules: segmentRulesField.optional(),
});
export const updateSegmentBody = createSegmentBody.partial();

export const createSegmentOverrideBody = z.object({
  environment: idField,
  segment: idField,
  enabled: z.boolean().optional(),
  feature_state_value: flagValue.optional(),
  priority: z.number().int().min(0).max(10_000).optional(),
  multivariate_feature_state_values: multivariateValuesField.optional(),
});
export const updateSegmentOverrideBody = z
  .object({
    enabled: z.boolean().optional(),
    feature_state_value: flagValue.optional(),
    priority: z.number().int().min(0).max(10_000).optional(),
    multivariate_feature_state_values: multivariateValuesField.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "Nothing to update" });

export const createTagBody = z.object({
  label: nameField("Tag label", 100),
  color: hexColor.optional(),
  description: descriptionField.optional(),
});
export const updateTagBody = createTagBody.partial();

const projectRole = z.enum(["ADMIN", "EDITOR", "VIEWER"]);
export const addProjectMemberBody = z.object({ user: idField, role: projectRole });
export const updateProjectMemberBody = z.object({ role: projectRole });

const password = z.string().min(10, "Use at least 10 characters").max(200);
export const emailField = z.string().trim().toLowerCase().email("Enter a valid email address").max(254);

const organisationRole = z.enum(["ADMIN", "MEMBER"]);

export const firstRunSetupBody = z.object({
  name: z.string().trim().max(100).optional(),
  email: emailField,
  password,
  organisation_name: nameField("Organisation name", 100).optional(),
});
export const createUserBody = z.object({
  name: z.string().trim().max(100).optional(),
  email: emailField,
  password,
  role: organisationRole.default("MEMBER"),
});
export const updateOrganisationUserBody = z.object({
  role: organisationRole.optional(),
  gitlab_username: gitlabUsernameField.optional(),
});
const apiKeyRole = z.enum(["READ_ONLY", "EDITOR", "ADMIN"]);
export const createApiKeyBody = z.object({
  name: nameField("Key name", 100),
  // Admin by default: keys made before roles existed were admins, and callers relying on that keep working.
  role: apiKeyRole.default("ADMIN"),
  expires_at: z.iso
    .datetime({ offset: true, message: "Use an ISO 8601 date and time, e.g. 2027-01-31T00:00:00Z" })
    .refine((value) => Date.parse(value) > Date.now(), "The expiry must be in the future")
    .nullish(),
});
/** Expiry choices of the create-key form, in days ("" = never); the form sends `expires_at`. */
export const API_KEY_EXPIRY_DAYS = ["7", "30", "90", "365"] as const;
/** The create-key form: the API's fields, with the expiry picked as a number of days. */
export const createApiKeyForm = createApiKeyBody
  .omit({ expires_at: true })
  .extend({ expires_in_days: z.enum(["", ...API_KEY_EXPIRY_DAYS]) });

// Query-string filters of the core lists (paging is added by the route handlers).

export const environmentListFilters = z.object({ project: idQuery });

const featureSort = z.enum(["name", "-name", "created_at", "-created_at"]);
export const featureListFilters = z.object({
  search: searchQuery,
  /** Features having every one of these tags. */
  tags: idList,
  /** Adds each feature's `environment_state` in this environment. */
  environment: idQuery.optional(),
  sort: featureSort.default("name"),
  /** true: archived features only; otherwise archived features are hidden. */
  archived: booleanQuery,
});
export type FeatureListFilters = z.infer<typeof featureListFilters>;

export const featureStateListFilters = z.object({ feature: idQuery.optional() });

export const segmentListFilters = z.object({ search: searchQuery });

export const segmentOverrideListFilters = z.object({ environment: idQuery.optional() });

export const auditLogFilters = z.object({
  feature: idQuery.optional(),
  environment: idQuery.optional(),
  search: searchQuery,
});
export type AuditLogFilters = z.infer<typeof auditLogFilters>;
