import { describe, expect, it } from "vitest";
import { nestedServerErrors } from "@/lib/client/forms/nested-field-errors";
import { ApiClientError } from "@/lib/client/queries/api-client";

describe("nestedServerErrors", () => {
  const map = nestedServerErrors(["rules"]);

  it("puts an issue deep in the rule tree on that condition's control", () => {
    const error = new ApiClientError(422, "unprocessable_entity", "Invalid input", [
      { field: "body.rules.0.rules.1.conditions.2.value", issue: "REGEX needs a pattern" },
      { field: "body.name", issue: "Name is required" },
    ]);
    expect(map(error, ["name", "description", "rules"])).toEqual({
      fields: {
        "rules.0.rules.1.conditions.2.value": "REGEX needs a pattern",
        name: "Name is required",
      },
      form: undefined,
    });
  });

  it("leaves issues of other fields above the form", () => {
    const error = new ApiClientError(422, "unprocessable_entity", "Invalid input", [
      { field: "body.other.0", issue: "bad" },
    ]);
    expect(map(error, ["name", "rules"])).toEqual({ fields: {}, form: "other.0: bad" });
  });
});
