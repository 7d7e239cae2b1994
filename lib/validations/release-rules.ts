import { z } from "zod";
import { flagValue, idField } from "@/lib/validations/common";

// Release rules: "when this linked item merges/closes → enable/disable/set a value in these
// environments, optionally after a delay". Shared by the API and the rule form.

const releaseTriggers = ["merged", "closed", "closed_unmerged"] as const;
const releaseActions = ["enable", "disable", "set_value"] as const;
export type ReleaseTriggerName = (typeof releaseTriggers)[number];
export type ReleaseActionName = (typeof releaseActions)[number];

/** The longest delay a rule may wait: 30 days. */
const MAX_RELEASE_DELAY_SECONDS = 30 * 24 * 60 * 60;

export const createReleaseRuleBody = z
  .object({
    external_resource: idField,
    trigger: z.enum(releaseTriggers),
    action: z.enum(releaseActions),
    value: flagValue.optional(),
    environments: z
      .array(z.string().min(1).max(100))
      .min(1, "Choose at least one environment")
      .max(50)
      .refine((keys) => new Set(keys).size === keys.length, "Each environment may be listed once"),
    delay_seconds: z
      .number()
      .int("The delay is a whole number of seconds")
      .min(0)
      .max(MAX_RELEASE_DELAY_SECONDS, "The delay can be at most 30 days")
      .optional(),
  })
  .superRefine((body, ctx) => {
    if (body.action === "set_value" && body.value === undefined)
      ctx.addIssue({ code: "custom", path: ["value"], message: "Give the value to set" });
    if (body.action !== "set_value" && body.value !== undefined)
      ctx.addIssue({ code: "custom", path: ["value"], message: "Only a set_value rule takes a value" });
  });
export type CreateReleaseRuleInput = z.infer<typeof createReleaseRuleBody>;

export const updateReleaseRuleBody = z.object({ paused: z.boolean().optional() });

/** A delay as people say it: "24 h", "90 min", "2 d". */
export function formatDelay(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** The rule form's delay units, in seconds. */
export const RELEASE_DELAY_UNITS = { minutes: 60, hours: 3_600, days: 86_400 } as const;

/** A typed value as the rule form takes it: true/false, a whole number, else text. */
function parseRuleValue(text: string): string | number | boolean {
  if (/^(true|false)$/.test(text)) return text === "true";
  if (/^-?\d{1,9}$/.test(text)) return Number(text);
  return text;
}

/**
 * The new-rule form: what people type (a value as text, a delay in a unit), turned into the API's
 * body and checked by createReleaseRuleBody itself, so the form and the API agree.
 */
export const releaseRuleFormBody = z
  .object({
    external_resource: z.coerce.number<string | number>().int().positive("Choose a linked item"),
    trigger: z.enum(releaseTriggers),
    action: z.enum(releaseActions),
    value: z.string().max(20_000),
    environments: z.array(z.string()),
    delay: z.coerce
      .number<string | number>({ error: "Give the delay as a number" })
      .min(0, "The delay cannot be negative"),
    unit: z.enum(["minutes", "hours", "days"]),
  })
  .transform((form): z.input<typeof createReleaseRuleBody> => ({
    external_resource: form.external_resource,
    trigger: form.trigger,
    action: form.action,
    ...(form.action === "set_value" ? { value: parseRuleValue(form.value) } : {}),
    environments: form.environments,
    delay_seconds: Math.round(form.delay * RELEASE_DELAY_UNITS[form.unit]),
  }))
  .pipe(createReleaseRuleBody);
