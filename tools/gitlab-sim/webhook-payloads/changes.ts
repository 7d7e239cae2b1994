// `changes` in hook format: label and user ids become hook objects; legacy payloads report
// `state` names instead of `state_id`.
import type { SimStore } from "../store";
import type { ChangeSet, PayloadStyle } from "../types";
import { hookLabel, hookUser, type Json, ts } from "./common";
import { ISSUE_TYPE_NAME } from "./issues";

const ISSUE_STATE_NAME: Record<number, string> = { 1: "opened", 2: "closed" };

const MR_STATE_NAME: Record<number, string> = { 1: "opened", 2: "closed", 3: "merged", 4: "locked" };

export function convertChanges(
  store: SimStore,
  changes: ChangeSet,
  style: PayloadStyle,
  kind: "issue" | "merge_request",
): Json {
  const out: Json = {};
  const convert = (key: string, value: unknown): unknown => {
    if (key === "labels" && Array.isArray(value)) {
      return store.labelsByIds(value as number[]).map((l) => hookLabel(l, style));
    }
    if ((key === "assignees" || key === "reviewers") && Array.isArray(value)) {
      return (value as number[]).map((id) => hookUser(store.users.get(id), style));
    }
    if (key === "type" && typeof value === "string") {
      return ISSUE_TYPE_NAME[value as keyof typeof ISSUE_TYPE_NAME] ?? value;
    }
    if (key.endsWith("_at") && typeof value === "string") return ts(style, value);
    return value;
  };
  for (const [key, change] of Object.entries(changes)) {
    if (style === "legacy" && key === "state_id") {
      const names = kind === "issue" ? ISSUE_STATE_NAME : MR_STATE_NAME;
      out.state = {
        previous: names[change.previous as number] ?? null,
        current: names[change.current as number] ?? null,
      };
      continue;
    }
    if (style === "legacy" && (key === "draft" || key === "type")) continue;
    out[key] = { previous: convert(key, change.previous), current: convert(key, change.current) };
  }
  return out;
}
