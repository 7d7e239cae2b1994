import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import type { FeatureRowContext } from "@/components/features/feature-table-columns";
import type { Feature } from "@/lib/queries/types";

// Small per-row markers shown beside a feature's name in the features table. To add one (e.g. the
// count of linked GitLab items, or a "Stale" badge), append an entry here; `render` returns null
// when the marker does not apply. Extra data a marker needs goes into FeatureRowContext.

export interface FeatureRowIndicator {
  id: string;
  render: (feature: Feature, context: FeatureRowContext) => ReactNode;
}

export const featureRowIndicators: FeatureRowIndicator[] = [
  {
    id: "permanent",
    render: (feature) =>
      feature.is_permanent ? (
        <Badge tone="accent" title="A long-lived flag (such as a kill switch); never reported as stale">
          Permanent
        </Badge>
      ) : null,
  },
  {
    id: "archived",
    render: (feature) => (feature.is_archived ? <Badge title="Hidden from the default list">Archived</Badge> : null),
  },
  {
    id: "linked-items",
    render: (feature) => {
      const count = feature.linked_items_count;
      if (!count) return null;
      const description = `${count} linked GitLab ${count === 1 ? "issue or merge request" : "issues and merge requests"}`;
      return (
        <span role="img" aria-label={description} title={description}>
          <Badge>
            <span aria-hidden="true">🔗 {count}</span>
          </Badge>
        </span>
      );
    },
  },
];

export function FeatureRowIndicators({ feature, context }: { feature: Feature; context: FeatureRowContext }) {
  const rendered = featureRowIndicators
    .map((indicator) => ({ id: indicator.id, node: indicator.render(feature, context) }))
    .filter((entry) => entry.node !== null && entry.node !== undefined && entry.node !== false);
  if (!rendered.length) return null;
  return (
    <span className="flex flex-wrap items-center gap-1">
      {rendered.map((entry) => (
        <span key={entry.id}>{entry.node}</span>
      ))}
    </span>
  );
}
