"use client";

import { useMemo } from "react";
import { AuditLogTable } from "@/components/audit/audit-log-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { SearchField } from "@/components/ui/search-field";
import { Select } from "@/components/ui/select";
import { TableSkeleton } from "@/components/ui/skeleton";
import { useUrlQuery } from "@/lib/client/hooks/use-url-query";
import { useUrlSearch } from "@/lib/client/hooks/use-url-search";
import type { Environment } from "@/lib/client/queries/types";
import { useAuditLog } from "@/lib/client/queries/use-audit-log";
import { useEnvironments } from "@/lib/client/queries/use-environments";

const PAGE_SIZE = 50;

export function AuditLogClient({ projectId }: { projectId: number }) {
  const { searchParams, setQuery, page } = useUrlQuery();
  const { text, setText, search } = useUrlSearch();
  const environmentParam = Number(searchParams.get("environment"));
  const environmentId =
    Number.isInteger(environmentParam) && environmentParam > 0 ? environmentParam : undefined;
  const environments = useEnvironments(projectId);
  const log = useAuditLog(projectId, {
    environment: environmentId,
    search: search || undefined,
    page,
    page_size: PAGE_SIZE,
  });
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
  const filtered = Boolean(search) || environmentId !== undefined;

  return (
    <>
      <PageHeader title="Audit log" description="Who changed what in this project, newest first." />

      <div className="mb-4 flex flex-col gap-3 sm:flex-row sm:items-end">
        <SearchField
          label="Search the audit log"
          placeholder="Search summaries"
          value={text}
          onChange={setText}
        />
        <Select
          label="Filter by environment"
          hideLabel
          className="w-full sm:w-56"
          value={environmentId !== undefined ? String(environmentId) : ""}
          placeholder="All environments"
          options={(environments.data?.results ?? []).map((environment) => ({
            value: String(environment.id),
            label: environment.name,
          }))}
          onChange={(event) => setQuery({ environment: event.target.value || null, page: null })}
        />
      </div>

      {log.isPending ? (
        <TableSkeleton rows={8} columns={5} label="Loading the audit log…" />
      ) : log.isError ? (
        <ErrorState
          title="Could not load the audit log"
          error={log.error}
          onRetry={() => void log.refetch()}
        />
      ) : log.data.count === 0 ? (
        <EmptyState title={filtered ? "No matching entries" : "Nothing recorded yet"}>
          {filtered
            ? "No entry matches this search and environment."
            : "Changes to features, segments and settings appear here."}
        </EmptyState>
      ) : (
        <div className={log.isPlaceholderData ? "opacity-60 transition-opacity" : undefined}>
          <AuditLogTable
            entries={log.data.results}
            projectId={projectId}
            environmentsById={environmentsById}
            fallbackEnvironmentKey={environments.data?.results[0]?.api_key}
          />
          <Pager
            page={page}
            pageSize={PAGE_SIZE}
            count={log.data.count}
            onPageChange={(next) => setQuery({ page: next })}
            noun="entries"
          />
        </div>
      )}
    </>
  );
}
