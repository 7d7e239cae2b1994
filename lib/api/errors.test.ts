import { describe, expect, it } from "vitest";
import { columnsOfUniqueIndex } from "@/lib/api/errors";

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
