import { z } from "zod";
import { flagValue, idField, nameField, searchQuery } from "@/lib/validations/common";
import { segmentRulesField } from "@/lib/validations/segment-rules";

// Request bodies of the evaluation admin API (identities, traits, identity overrides, variants,
// server-side keys). Flagsmith's Admin API shapes; shared by route handlers and forms.

export const MAX_TRAITS_PER_IDENTITY = 200;
const MAX_TRAIT_VALUE_BYTES = 2048;
const utf8 = new TextEncoder();

export const identifierField = z
  .string({ error: "Identifier is required" })
  .min(1, "Identifier is required")
  .max(2000, "Identifier must be at most 2000 characters");

export const createIdentityBody = z.object({ identifier: identifierField });
export const identityListFilters = z.object({ q: searchQuery });

export const traitKeyField = z
  .string({ error: "Trait key is required" })
  .min(1, "Trait key is required")
  .max(200, "Trait key must be at most 200 characters");

/** A trait value: text (at most 2 KB as UTF-8), a number or a boolean. */
export const traitValueField = z.union([
  z.string().refine(
    // TextEncoder, not Buffer: forms run this schema in the browser too. A UTF-16 code unit is at
    // most 3 UTF-8 bytes, so short strings (nearly all) need no encoding.
    (value) =>
      value.length * 3 <= MAX_TRAIT_VALUE_BYTES || utf8.encode(value).length <= MAX_TRAIT_VALUE_BYTES,
    `Trait values must be at most ${MAX_TRAIT_VALUE_BYTES} bytes`,
  ),
  z.number().finite(),
  z.boolean(),
]);
export type TraitValue = z.infer<typeof traitValueField>;

export const setTraitBody = z.object({ trait_key: traitKeyField, trait_value: traitValueField });
export const updateTraitBody = z.object({ trait_value: traitValueField });

/** Flagsmith's multivariate_feature_state_values on a state or override. */
export const multivariateValuesField = z
  .array(
    z.object({
      multivariate_feature_option: idField,
      percentage_allocation: z.number().min(0, "must be at least 0").max(100, "must be at most 100"),
    }),
  )
  .max(100)
  .superRefine((values, ctx) => {
    const total = values.reduce((sum, value) => sum + value.percentage_allocation, 0);
    if (total > 100 + 1e-9)
      ctx.addIssue({
        code: "custom",
        message: `Percentage allocations sum to ${total}; at most 100 is allowed`,
      });
    const seen = new Set<number>();
    values.forEach((value, index) => {
      if (seen.has(value.multivariate_feature_option)) {
        ctx.addIssue({
          code: "custom",
          path: [index, "multivariate_feature_option"],
          message: "Each option may appear once",
        });
      }
      seen.add(value.multivariate_feature_option);
    });
  });
export type MultivariateValuesInput = z.infer<typeof multivariateValuesField>;

export const createIdentityOverrideBody = z.object({
  feature: idField,
  enabled: z.boolean().optional(),
  feature_state_value: flagValue.optional(),
  multivariate_feature_state_values: multivariateValuesField.optional(),
});
export const updateIdentityOverrideBody = z
  .object({
    enabled: z.boolean().optional(),
    feature_state_value: flagValue.optional(),
    multivariate_feature_state_values: multivariateValuesField.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "Nothing to update" });

export const multivariateType = z.enum(["unicode", "int", "bool"]);

const optionFields = {
  type: multivariateType.default("unicode"),
  string_value: z.string().max(20_000).nullish(),
  integer_value: z.number().int().min(-2_147_483_648).max(2_147_483_647).nullish(),
  boolean_value: z.boolean().nullish(),
  default_percentage_allocation: z
    .number()
    .min(0, "must be at least 0")
    .max(100, "must be at most 100")
    .default(0),
};

/** The value field matching the type must be given (Flagsmith reads only that one). */
function requireTypedValue(
  body: { type?: string; string_value?: unknown; integer_value?: unknown; boolean_value?: unknown },
  ctx: z.RefinementCtx,
) {
  const field =
    body.type === "int" ? "integer_value" : body.type === "bool" ? "boolean_value" : "string_value";
  if (body[field] === undefined || body[field] === null) {
    ctx.addIssue({
      code: "custom",
      path: [field],
      message: `A ${body.type ?? "unicode"} option needs ${field}`,
    });
  }
}

export const createMultivariateOptionBody = z.object(optionFields).superRefine(requireTypedValue);
export const updateMultivariateOptionBody = z
  .object({
    type: multivariateType.optional(),
    string_value: optionFields.string_value,
    integer_value: optionFields.integer_value,
    boolean_value: optionFields.boolean_value,
    default_percentage_allocation: z.number().min(0).max(100).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.type) requireTypedValue(body, ctx);
  });

export const createServerKeyBody = z.object({ name: nameField("Key name", 100) });
export type CreateServerKeyInput = z.infer<typeof createServerKeyBody>;

/** The segment tester: rules (saved or not) against an identity made of these traits. */
export const testSegmentBody = z.object({
  rules: segmentRulesField,
  traits: z
    .record(traitKeyField, traitValueField)
    .refine(
      (traits) => Object.keys(traits).length <= MAX_TRAITS_PER_IDENTITY,
      `At most ${MAX_TRAITS_PER_IDENTITY} traits`,
    )
    .default({}),
  identifier: identifierField.default("test-identity"),
  /** An environment api_key: sets `$.environment.name` and the identity key. */
  environment: z.string().max(100).optional(),
  /** A saved segment's id, so PERCENTAGE_SPLIT hashes exactly as for that segment. */
  segment: idField.optional(),
});
