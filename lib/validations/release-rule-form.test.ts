import { describe, expect, it } from "vitest";
import { createReleaseRuleBody, releaseRuleFormBody } from "@/lib/validations/release-rules";

// The new-rule form's schema: what people type becomes the API body, checked by the API's own schema.

const typed = {
  external_resource: "12",
  trigger: "merged",
  action: "enable",
  value: "",
  environments: ["env-a"],
  delay: "24",
  unit: "hours",
} as const;

describe("release rule form schema", () => {
  it("turns the typed delay and value into the API body", () => {
    const body = releaseRuleFormBody.parse(typed);
    expect(body).toEqual({
      external_resource: 12,
      trigger: "merged",
      action: "enable",
      environments: ["env-a"],
      delay_seconds: 86_400,
    });
    expect(createReleaseRuleBody.parse(body)).toEqual(body);
    expect(releaseRuleFormBody.parse({ ...typed, action: "set_value", value: "42" })).toMatchObject({
      value: 42,
    });
    expect(releaseRuleFormBody.parse({ ...typed, action: "set_value", value: "true" }).value).toBe(true);
  });

  it("reports the API schema's refusals on the form's fields", () => {
    const none = releaseRuleFormBody.safeParse({ ...typed, environments: [] });
    expect(none.error?.issues).toEqual([
      expect.objectContaining({ path: ["environments"], message: "Choose at least one environment" }),
    ]);
    const tooLong = releaseRuleFormBody.safeParse({ ...typed, delay: "31", unit: "days" });
    expect(tooLong.error?.issues[0]?.message).toBe("The delay can be at most 30 days");
  });
});
