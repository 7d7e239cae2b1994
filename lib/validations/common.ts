import { z } from "zod";

// Building blocks shared by server validation and client forms.

export const nameField = (label: string, max = 150) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} must be at most ${max} characters`);

export const descriptionField = z.string().trim().max(2000, "Description must be at most 2000 characters");

/** A flag value: text, a whole number or a boolean; null means "no value". */
export const flagValue = z.union([
  z.string().max(20_000, "Value must be at most 20,000 characters"),
  z.number().int("Numbers must be whole numbers").min(-2_147_483_648).max(2_147_483_647),
  z.boolean(),
  z.null(),
]);
export type FlagValue = z.infer<typeof flagValue>;

export const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, "Colour must look like #RRGGBB");

export const searchQuery = z.string().trim().max(200).optional();

const MAX_ID = 2_147_483_647;

/** A database id in a JSON body (ids are 32-bit integers; larger numbers cannot name anything). */
export const idField = z.number().int().positive().max(MAX_ID);

/** A database id in a query string ("?project=12"). */
export const idQuery = z
  .string({ error: "Required" })
  .trim()
  .regex(/^[1-9][0-9]{0,9}$/, "must be an id")
  .transform(Number)
  .refine((id) => id <= MAX_ID, "must be an id");

/** "1,2,3" → [1,2,3] for list filters in query strings. */
export const idList = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (!value) return [] as number[];
    const ids = value.split(",").map((part) => Number(part.trim()));
    if (ids.some((id) => !Number.isInteger(id) || id <= 0 || id > MAX_ID)) {
      ctx.addIssue({ code: "custom", message: "must be a comma-separated list of ids" });
      return z.NEVER;
    }
    return ids;
  });

export const booleanQuery = z
  .enum(["true", "false", "1", "0"])
  .optional()
  .transform((value) => (value === undefined ? undefined : value === "true" || value === "1"));
