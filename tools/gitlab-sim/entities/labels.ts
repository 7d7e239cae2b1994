// REST API v4 representations of labels, alone and as an issue's or merge request's `labels` field.
import type { SimStore } from "../store";
import type { Label } from "../types";
import { textColorFor } from "../util";

export function labelEntity(store: SimStore, label: Label, opts: { withCounts?: boolean } = {}) {
  const base = {
    id: label.id,
    name: label.title,
    description: label.description,
    description_html: label.description ?? "",
    text_color: textColorFor(label.color),
    color: label.color,
    subscribed: false,
    priority: label.priority,
    is_project_label: true,
    archived: false,
  };
  if (!opts.withCounts) return base;
  const issues = [...store.issues.values()].filter((i) => i.labelIds.includes(label.id));
  const mrs = [...store.mergeRequests.values()].filter((m) => m.labelIds.includes(label.id));
  return {
    ...base,
    open_issues_count: issues.filter((i) => i.state === "opened").length,
    closed_issues_count: issues.filter((i) => i.state === "closed").length,
    open_merge_requests_count: mrs.filter((m) => m.state === "opened").length,
  };
}

export function labelsField(store: SimStore, ids: number[], withDetails: boolean) {
  const labels = store.labelsByIds(ids).sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
  if (!withDetails) return labels.map((l) => l.title);
  return labels.map((l) => ({
    id: l.id,
    name: l.title,
    color: l.color,
    description: l.description,
    description_html: l.description ?? "",
    text_color: textColorFor(l.color),
  }));
}
