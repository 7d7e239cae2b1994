// The engine's reason for a flag (Flagsmith's words) in plain words, keeping the original beside it.

export interface ReasonText {
  kind: "default" | "segment" | "identity" | "split" | "other";
  label: string;
}

export function describeReason(reason: string | null | undefined): ReasonText {
  if (!reason || reason === "DEFAULT") return { kind: "default", label: "Environment default" };
  const segment = /^TARGETING_MATCH; segment=(.*)$/.exec(reason);
  if (segment) {
    return segment[1] === "identity_overrides"
      ? { kind: "identity", label: "Identity override" }
      : { kind: "segment", label: `Segment override: ${segment[1]}` };
  }
  if (reason === "IDENTITY_OVERRIDE") return { kind: "identity", label: "Identity override" };
  const split = /^SPLIT; weight=(.*)$/.exec(reason);
  if (split) return { kind: "split", label: `Variant split (weight ${split[1]}%)` };
  return { kind: "other", label: reason };
}
