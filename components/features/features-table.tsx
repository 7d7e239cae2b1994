"use client";

import { memo } from "react";
import {
  columnVisibility,
  featureColumns,
  type FeatureRowContext,
} from "@/components/features/feature-table-columns";
import { cx } from "@/components/ui/cx";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { Feature } from "@/lib/client/queries/types";

// Rows re-render only when their own feature object changes (an optimistic toggle replaces one row).
const FeatureRow = memo(function FeatureRow({
  feature,
  context,
}: {
  feature: Feature;
  context: FeatureRowContext;
}) {
  return (
    <TR>
      {featureColumns.map((column) => (
        <TD key={column.id} className={cx(column.cellClassName, columnVisibility(column))}>
          {column.render(feature, context)}
        </TD>
      ))}
    </TR>
  );
});

export function FeaturesTable({
  features,
  context,
  stale,
}: {
  features: Feature[];
  context: FeatureRowContext;
  stale?: boolean;
}) {
  return (
    <div className={cx("transition-opacity", stale && "opacity-60")} aria-busy={stale || undefined}>
      <Table caption={`Features in ${context.environment.name}`}>
        <THead>
          <tr>
            {featureColumns.map((column) => (
              <TH key={column.id} className={cx(column.headerClassName, columnVisibility(column))}>
                {column.header(context)}
              </TH>
            ))}
          </tr>
        </THead>
        <TBody>
          {features.map((feature) => (
            <FeatureRow key={feature.id} feature={feature} context={context} />
          ))}
        </TBody>
      </Table>
    </div>
  );
}
