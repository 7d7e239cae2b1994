import Link from "next/link";
import type { ReactNode } from "react";
import { FeatureRowIndicators } from "@/components/features/feature-row-indicators";
import { FeatureStateSwitch, FeatureStateValue } from "@/components/features/feature-state-controls";
import { TagChip } from "@/components/features/tag-chip";
import { focusRing } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import type { Environment, Feature, Tag } from "@/lib/client/queries/types";
import { routes } from "@/lib/client/routes";

// The columns of the features table, in order. A column is a header plus a cell renderer, so a
// new column is one more entry; per-row markers beside the name live in feature-row-indicators.

export interface FeatureRowContext {
  projectId: number;
  environment: Environment;
  canEdit: boolean;
  tagsById: Map<number, Tag>;
}

export interface FeatureColumn {
  id: string;
  header: (context: FeatureRowContext) => ReactNode;
  headerClassName?: string;
  cellClassName?: string;
  /** Left out on phones, where the name and the Enabled switch must stay on screen. */
  wideOnly?: boolean;
  render: (feature: Feature, context: FeatureRowContext) => ReactNode;
}

/** Classes a column's header or cell gets from its `wideOnly`. */
export const columnVisibility = (column: FeatureColumn) => (column.wideOnly ? "max-md:hidden" : undefined);

const DESCRIPTION_EXCERPT = 90;

function excerpt(text: string) {
  return text.length > DESCRIPTION_EXCERPT ? `${text.slice(0, DESCRIPTION_EXCERPT - 1).trimEnd()}…` : text;
}

export const featureColumns: FeatureColumn[] = [
  {
    id: "name",
    header: () => "Feature",
    cellClassName: "md:min-w-64 max-md:break-all",
    render: (feature, context) => (
      <div className="space-y-0.5">
        <div className="flex flex-wrap items-center gap-2">
          <Link
            href={routes.feature(context.projectId, context.environment.api_key, feature.id)}
            className={cx(
              "rounded font-mono text-sm font-medium text-accent-700 hover:underline dark:text-accent-300",
              focusRing,
            )}
          >
            {feature.name}
          </Link>
          <FeatureRowIndicators feature={feature} context={context} />
        </div>
        {feature.description && (
          <p className="text-xs text-zinc-500 dark:text-zinc-400" title={feature.description}>
            {excerpt(feature.description)}
          </p>
        )}
      </div>
    ),
  },
  {
    id: "tags",
    header: () => "Tags",
    wideOnly: true,
    render: (feature, context) => {
      const tags = feature.tags
        .map((id) => context.tagsById.get(id))
        .filter((tag): tag is Tag => Boolean(tag));
      if (!tags.length) return <span className="text-zinc-400">—</span>;
      return (
        <ul className="flex max-w-64 flex-wrap gap-1" aria-label={`Tags of ${feature.name}`}>
          {tags.map((tag) => (
            <li key={tag.id}>
              <TagChip tag={tag} />
            </li>
          ))}
        </ul>
      );
    },
  },
  {
    id: "enabled",
    header: (context) => (
      <>
        <span className="md:hidden">On</span>
        <span className="max-md:sr-only">Enabled in {context.environment.name}</span>
      </>
    ),
    headerClassName: "w-16 md:w-40",
    render: (feature, context) => (
      <FeatureStateSwitch
        projectId={context.projectId}
        feature={feature}
        environment={context.environment}
        state={feature.environment_state}
        canEdit={context.canEdit}
      />
    ),
  },
  {
    id: "value",
    header: () => "Value",
    headerClassName: "w-56",
    wideOnly: true,
    render: (feature, context) => (
      <FeatureStateValue
        projectId={context.projectId}
        feature={feature}
        environment={context.environment}
        state={feature.environment_state}
        canEdit={context.canEdit}
      />
    ),
  },
  {
    id: "overrides",
    header: () => "Segment overrides",
    headerClassName: "w-40 text-right",
    wideOnly: true,
    cellClassName: "text-right tabular-nums",
    render: (feature, context) =>
      feature.num_segment_overrides > 0 ? (
        <Link
          href={routes.feature(
            context.projectId,
            context.environment.api_key,
            feature.id,
            "segment-overrides",
          )}
          className={cx("rounded text-accent-700 hover:underline dark:text-accent-300", focusRing)}
          aria-label={`${feature.num_segment_overrides} segment overrides of ${feature.name}`}
        >
          {feature.num_segment_overrides}
        </Link>
      ) : (
        <span className="text-zinc-400">0</span>
      ),
  },
];
