import { z } from "zod";
import { descriptionField, flagValue, hexColor, nameField } from "@/lib/validations/common";

// Request bodies of the core API (projects, environments, features, states, segments, tags,
// members). Route handlers parse with these; forms validate with the same schemas.

export const createProjectBody = z.object({
  name: nameField("Project name"),
  organisation: z.number().int().positive().optional(),
  /** Also create "Development" and "Production" environments. */
  create_default_environments: z.boolean().optional(),
});
export const updateProjectBody = z.object({
  name: nameField("Project name").optional(),
  stale_flag_threshold_days: z.number().int().min(1).max(365).optional(),
});

export const createEnvironmentBody = z.object({
  name: nameField("Environment name", 100),
  project: z.number().int().positive(),
});
export const updateEnvironmentBody = z.object({ name: nameField("Environment name", 100) });

const featureName = nameField("Feature name", 150).regex(
  /^[A-Za-z0-9_.:-]+$/,
  "Feature names may contain letters, digits, '_', '-', '.' and ':' only",
);

export const createFeatureBody = z.object({
  name: featureName,
  description: descriptionField.optional(),
  default_enabled: z.boolean().optional(),
  initial_value: flagValue.optional(),
  tags: z.array(z.number().int().positive()).max(50).optional(),
});
export const updateFeatureBody = z.object({
  name: featureName.optional(),
  description: descriptionField.optional(),
  default_enabled: z.boolean().optional(),
  initial_value: flagValue.optional(),
  tags: z.array(z.number().int().positive()).max(50).optional(),
});

export const updateFeatureStateBody = z
  .object({ enabled: z.boolean().optional(), feature_state_value: flagValue.optional() })
  .refine((body) => body.enabled !== undefined || body.feature_state_value !== undefined, {
    message: "Send `enabled`, `feature_state_value` or both",
  });

const segmentRules = z.array(z.unknown()).max(100);
export const createSegmentBody = z.object({
  name: nameField("Segment name", 100),
  description: descriptionField.optional(),
  rules: segmentRules.optional(),
});
export const updateSegmentBody = createSegmentBody.partial();

export const createSegmentOverrideBody = z.object({
  environment: z.number().int().positive(),
  segment: z.number().int().positive(),
  enabled: z.boolean().optional(),
  feature_state_value: flagValue.optional(),
  priority: z.number().int().min(0).max(10_000).optional(),
});
export const updateSegmentOverrideBody = z
  .object({
    enabled: z.boolean().optional(),
    feature_state_value: flagValue.optional(),
    priority: z.number().int().min(0).max(10_000).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "Nothing to update" });

export const createTagBody = z.object({
  label: nameField("Tag label", 100),
  color: hexColor.optional(),
  description: descriptionField.optional(),
});
export const updateTagBody = createTagBody.partial();

export const projectRole = z.enum(["ADMIN", "EDITOR", "VIEWER"]);
export const addProjectMemberBody = z.object({ user: z.number().int().positive(), role: projectRole });
export const updateProjectMemberBody = z.object({ role: projectRole });

const password = z.string().min(10, "Use at least 10 characters").max(200);
export const emailField = z.string().trim().toLowerCase().email("Enter a valid email address").max(254);

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
  role: z.enum(["ADMIN", "MEMBER"]).default("MEMBER"),
});
export const createApiKeyBody = z.object({ name: nameField("Key name", 100) });
