import { describe, expect, it } from "vitest";
import { zodResolver } from "@hookform/resolvers/zod";
import { serverErrors } from "@/lib/client/forms/field-errors";
import { ApiClientError } from "@/lib/client/queries/api-client";
import { createFeatureBody } from "@/lib/validations/core";

describe("form errors", () => {
  it("reports the shared schema's first issue per field", async () => {
    const result = await zodResolver(createFeatureBody)(
      { name: "has spaces", initial_value: 1.5 },
      undefined,
      { fields: {}, shouldUseNativeValidation: false },
    );
    expect(result.values).toEqual({});
    expect(result.errors.name?.message).toMatch(/letters, digits/);
    expect(result.errors.initial_value).toBeDefined();
  });

  it("maps 422 details from body.<field> onto the form's fields", () => {
    const error = new ApiClientError(422, "unprocessable_entity", "Invalid body", [
      { field: "body.name", issue: "Feature name is required" },
      { field: "body.other", issue: "nope" },
    ]);
    expect(serverErrors(error, ["name"])).toEqual({
      fields: { name: "Feature name is required" },
      form: "other: nope",
    });
  });

  it("puts a 409 conflict on the field it names", () => {
    const error = new ApiClientError(409, "conflict", "Another record already uses this name", {
      fields: ["project_id", "name"],
    });
    expect(serverErrors(error, ["name", "description"])).toEqual({
      fields: { name: "Another record already uses this name" },
    });
  });

  it("keeps other failures as a form-level message", () => {
    expect(
      serverErrors(new ApiClientError(403, "forbidden", "Only organisation admins can do this"), ["name"]),
    ).toEqual({
      fields: {},
      form: "Only organisation admins can do this",
    });
  });
});
