"use client";

import { useMemo } from "react";
import { AuditLogTable } from "@/components/audit/audit-log-table";
import type { FeatureTabContext } from "@/components/features/feature-tabs";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Section } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { TableSkeleton } from "@/components/ui/skeleton";
import { useUrlQuery } from "@/lib/client/hooks/use-url-query";
import type { Environment } from "@/lib/client/queries/types";
import { useAuditLog } from "@/lib/client/queries/use-audit-log";
import { useEnvironments } from "@/lib/client/queries/use-environments";

const PAGE_SIZE = 25;

export function FeatureHistoryTab({ context }: { context: FeatureTabContext }) {
  const { feature, projectId } = context;
  const { page, setQuery } = useUrlQuery();
  const history = useAuditLog(projectId, { feature: feature.id, page, page_size: PAGE_SIZE });
  const environments = useEnvironments(projectId);
  const environmentsById = useMemo(
    () =>
      new Map(
        (environments.data?.results ?? []).map((environment): [number, Environment] => [
          environment.id,
          environment,
        ]),
      ),
    [environments.data],
  );

  return (
    <Section title="History" description={`Every change to ${feature.name}, newest first.`}>
      {history.isPending ? (
        <TableSkeleton rows={5} columns={5} label="Loading history…" />
      ) : history.isError ? (
        <ErrorState
          title="Could not load the history"
          error={history.error}
          onRetry={() => void history.refetch()}
        />
      ) : history.data.count === 0 ? (
        <EmptyState title="No history yet" />
      ) : (
        <>
          <AuditLogTable
            entries={history.data.results}
            projectId={projectId}
            environmentsById={environmentsById}
            showFeature={false}
          />
          <Pager
            page={page}
            pageSize={PAGE_SIZE}
            count={history.data.count}
            onPageChange={(next) => setQuery({ page: next })}
            noun="entries"
          />
        </>
      )}
    </Section>
  );
}
