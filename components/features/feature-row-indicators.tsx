"use client";

import { Link2 } from "lucide-react";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { toast } from "sonner";
import type { FeatureRowContext } from "@/components/features/feature-table-columns";
import { errorMessage } from "@/lib/client/queries/api-client";
import type { Feature } from "@/lib/client/queries/types";
import { useUpdateFeature } from "@/lib/client/queries/use-update-feature";

// Small per-row markers shown beside a feature's name in the features table. To add one (e.g. the
// count of linked GitLab items, or a "Stale" badge), append an entry here; `render` returns null
// when the marker does not apply. Extra data a marker needs goes into FeatureRowContext.

interface FeatureRowIndicator {
  id: string;
  render: (feature: Feature, context: FeatureRowContext) => ReactNode;
}

const featureRowIndicators: FeatureRowIndicator[] = [
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
    render: (feature, context) =>
      feature.is_archived ? (
        <span className="inline-flex items-center gap-1.5">
          <Badge title="Hidden from the default list and from GitLab comments">Archived</Badge>
          {context.canEdit && <RestoreButton feature={feature} />}
        </span>
      ) : null,
  },
  {
    id: "ready-to-delete",
    render: (feature) =>
      feature.ready_to_delete && !feature.is_archived ? (
        <Badge tone="success" title="Its cleanup issue is closed: archive it from its page">
          Ready to delete
        </Badge>
      ) : null,
  },
  {
    id: "stale",
    render: (feature) =>
      feature.stale && !feature.ready_to_delete ? (
        <Badge
          tone="warning"
          title="Its linked issues and merge requests are done and its state has not changed for a while (see Stale flags)"
        >
          Stale
        </Badge>
      ) : null,
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
            <span aria-hidden="true" className="inline-flex items-center gap-1">
              <Link2 className="size-3" /> {count}
            </span>
          </Badge>
        </span>
      );
    },
  },
];

function RestoreButton({ feature }: { feature: Feature }) {
  const update = useUpdateFeature(feature.project, feature.id);
  return (
    <Button
      variant="ghost"
      size="sm"
      className="h-6"
      pending={update.isPending}
      aria-label={`Restore ${feature.name}`}
      onClick={() =>
        update.mutate(
          { is_archived: false },
          {
            onSuccess: () => toast.success(`Restored ${feature.name}`),
            onError: (error) => toast.error(`Could not restore ${feature.name}: ${errorMessage(error)}`),
          },
        )
      }
    >
      Restore
    </Button>
  );
}

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
