import { z } from "zod";
import { flagValue, idField } from "@/lib/validations/common";

// Release rules: "when this linked item merges/closes → enable/disable/set a value in these
// environments, optionally after a delay". Shared by the API and the rule form.

export const releaseTriggers = ["merged", "closed", "closed_unmerged"] as const;
export const releaseActions = ["enable", "disable", "set_value"] as const;
export type ReleaseTriggerName = (typeof releaseTriggers)[number];
export type ReleaseActionName = (typeof releaseActions)[number];

/** The longest delay a rule may wait: 30 days. */
export const MAX_RELEASE_DELAY_SECONDS = 30 * 24 * 60 * 60;

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
