"use client";

import Link from "next/link";
import { useState } from "react";
import { StaleFlagsTable } from "@/components/features/stale-flags-table";
import { CreateCleanupIssueDialog } from "@/components/gitlab/create-cleanup-issue-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { SearchField } from "@/components/ui/search-field";
import { TableSkeleton } from "@/components/ui/skeleton";
import { useLastEnvironment } from "@/lib/client/hooks/use-last-environment";
import { useUrlQuery } from "@/lib/client/hooks/use-url-query";
import { useUrlSearch } from "@/lib/client/hooks/use-url-search";
import { useEnvironments } from "@/lib/client/queries/use-environments";
import { useGitLabIntegration } from "@/lib/client/queries/use-gitlab-integration";
import { useProjectPermissions } from "@/lib/client/queries/use-permissions";
import { useStaleFlags } from "@/lib/client/queries/use-stale-flags";
import { routes } from "@/lib/client/routes";

const PAGE_SIZE = 50;

/** Flags that have done their job, stalest first, with why each is listed and what to do about it. */
export function StaleFlagsClient({ projectId }: { projectId: number }) {
  const { setQuery, page } = useUrlQuery();
  const { text, setText, search } = useUrlSearch();
  const permissions = useProjectPermissions(projectId);
  const gitlab = useGitLabIntegration(projectId);
  const stale = useStaleFlags(projectId, { search: search || undefined, page, page_size: PAGE_SIZE });
  const environments = useEnvironments(projectId);
  const [lastEnvironment] = useLastEnvironment(projectId);
  const [cleanupFor, setCleanupFor] = useState<{ id: number; name: string } | null>(null);
  const environmentKey =
    environments.data?.results.find((environment) => environment.api_key === lastEnvironment)?.api_key ??
    environments.data?.results[0]?.api_key ??
    null;
  const integration = gitlab.data ?? null;
  const threshold = stale.data?.threshold_days;

  return (
    <>
      <PageHeader
        title="Stale flags"
        description={
          <>
            Flags whose linked issues and merge requests are all closed or merged, with the same state in
            every environment, both for at least {threshold ?? "…"} days (
            <Link href={routes.settings(projectId)} className="underline">
              project setting
            </Link>
            ). Permanent flags are never listed.
          </>
        }
      />
      <div className="mb-4">
        <SearchField
          label="Search stale flags"
          placeholder="Search by name"
          value={text}
          onChange={setText}
        />
      </div>
      {stale.isPending ? (
        <TableSkeleton rows={5} columns={4} label="Loading stale flags…" />
      ) : stale.isError ? (
        <ErrorState
          title="Could not load stale flags"
          error={stale.error}
          onRetry={() => void stale.refetch()}
        />
      ) : stale.data.count === 0 ? (
        <EmptyState title={search ? "No matching stale flags" : "No stale flags"}>
          {search
            ? "No stale flag matches this search."
            : "A flag shows up here once the GitLab work linked to it is done and its state has settled. Link issues and merge requests to flags on their Links tab."}
        </EmptyState>
      ) : (
        <>
          <StaleFlagsTable
            projectId={projectId}
            rows={stale.data.results}
            environmentKey={environmentKey}
            canEdit={permissions.canEdit}
            onCreateCleanupIssue={integration && permissions.canEdit ? setCleanupFor : undefined}
            busy={stale.isPlaceholderData}
          />
          <Pager
            page={page}
            pageSize={PAGE_SIZE}
            count={stale.data.count}
            onPageChange={(next) => setQuery({ page: next })}
            noun="stale flags"
          />
        </>
      )}
      {integration && cleanupFor && (
        <CreateCleanupIssueDialog
          open
          onClose={() => setCleanupFor(null)}
          projectId={projectId}
          feature={cleanupFor}
          integration={integration}
        />
      )}
    </>
  );
}
