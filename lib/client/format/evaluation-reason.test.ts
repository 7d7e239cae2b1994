import { describe, expect, it } from "vitest";
import { describeReason } from "@/lib/client/format/evaluation-reason";

describe("describeReason", () => {
  it("reads each of the engine's reasons", () => {
    expect(describeReason("DEFAULT")).toEqual({ kind: "default", label: "Environment default" });
    expect(describeReason("TARGETING_MATCH; segment=Beta testers")).toEqual({
      kind: "segment",
      label: "Segment override: Beta testers",
    });
    expect(describeReason("TARGETING_MATCH; segment=identity_overrides").kind).toBe("identity");
    expect(describeReason("SPLIT; weight=30")).toEqual({
      kind: "split",
      label: "Variant split (weight 30%)",
    });
    expect(describeReason("SOMETHING_NEW")).toEqual({ kind: "other", label: "SOMETHING_NEW" });
  });
});
