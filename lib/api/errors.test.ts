import { describe, expect, it } from "vitest";
import { columnsOfUniqueIndex, toApiError } from "@/lib/api/errors";

describe("columnsOfUniqueIndex", () => {
  it("reads the columns of Prisma-named unique indexes, keeping foreign keys whole", () => {
    expect(columnsOfUniqueIndex("features_project_id_name_key", "features")).toEqual(["project_id", "name"]);
    expect(columnsOfUniqueIndex("tags_project_id_label_type_key", "tags")).toEqual([
      "project_id",
      "label",
      "type",
    ]);
    expect(
      columnsOfUniqueIndex("segment_overrides_feature_id_environment_id_segment_id_key", "segment_overrides"),
    ).toEqual(["feature_id", "environment_id", "segment_id"]);
    expect(columnsOfUniqueIndex("users_email_key", "users")).toEqual(["email"]);
  });

  it("gives up on indexes named some other way", () => {
    expect(columnsOfUniqueIndex("custom_index", "features")).toEqual([]);
    expect(columnsOfUniqueIndex("users_email_key", "features")).toEqual([]);
  });
});

describe("toApiError for a duplicate", () => {
  const duplicate = (target: string[]) =>
    Object.assign(new Error("Unique constraint failed"), {
      name: "PrismaClientKnownRequestError",
      code: "P2002",
      meta: { target },
    });

  it("names the field and the value the request sent", () => {
    const error = toApiError(duplicate(["project_id", "name"]), { name: "Production" });
    expect(error.code).toBe("conflict");
    expect(error.message).toBe("Name “Production” is already in use");
    expect(error.details).toEqual({ fields: ["project_id", "name"] });
  });

  it("names the field alone when the body does not carry it", () => {
    expect(toApiError(duplicate(["project_id", "label"]), {}).message).toBe(
      "Another record already uses this label",
    );
    expect(toApiError(duplicate(["email"])).message).toBe("Another record already uses this email");
  });
});
