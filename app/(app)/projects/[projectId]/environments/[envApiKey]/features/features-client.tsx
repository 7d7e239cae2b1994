"use client";

import { useMemo, useState } from "react";
import { CreateFeatureDialog } from "@/components/features/create-feature-dialog";
import type { FeatureRowContext } from "@/components/features/feature-table-columns";
import { FeaturesTable } from "@/components/features/features-table";
import { TagFilter } from "@/components/features/tag-filter";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { SearchField } from "@/components/ui/search-field";
import { Select } from "@/components/ui/select";
import { TableSkeleton } from "@/components/ui/skeleton";
import { useUrlQuery } from "@/lib/client/hooks/use-url-query";
import { useUrlSearch } from "@/lib/client/hooks/use-url-search";
import type { Environment, Tag } from "@/lib/client/queries/types";
import { useEnvironment } from "@/lib/client/queries/use-environment";
import { useFeatures } from "@/lib/client/queries/use-features";
import { useProjectPermissions } from "@/lib/client/queries/use-permissions";
import { useTags } from "@/lib/client/queries/use-tags";

// Server-paginated: a project can hold thousands of features in many environments, so only one
// page (with this environment's state of each feature) is ever fetched.
const PAGE_SIZE = 50;

function parseTagIds(value: string | null): number[] {
  return (value ?? "")
    .split(",")
    .map(Number)
    .filter((id) => Number.isInteger(id) && id > 0);
}

export function FeaturesClient({
  projectId,
  initialEnvironment,
}: {
  projectId: number;
  initialEnvironment: Environment;
}) {
  const { searchParams, setQuery, page } = useUrlQuery();
  const { text, setText, search } = useUrlSearch();
  const [creating, setCreating] = useState(false);
  const environment =
    useEnvironment(initialEnvironment.api_key, initialEnvironment).data ?? initialEnvironment;
  const permissions = useProjectPermissions(projectId);
  const tags = useTags(projectId);
  const tagIds = useMemo(() => parseTagIds(searchParams.get("tags")), [searchParams]);
  const archived = searchParams.get("archived") === "true";

  const features = useFeatures(projectId, {
    environment: environment.id,
    search: search || undefined,
    tags: tagIds.length ? tagIds : undefined,
    archived: archived || undefined,
    page,
    page_size: PAGE_SIZE,
  });

  const context = useMemo<FeatureRowContext>(
    () => ({
      projectId,
      environment,
      canEdit: permissions.canEdit,
      tagsById: new Map((tags.data ?? []).map((tag): [number, Tag] => [tag.id, tag])),
    }),
    [projectId, environment, permissions.canEdit, tags.data],
  );

  const filtered = Boolean(search) || tagIds.length > 0;
  const createButton = permissions.canEdit && (
    <Button variant="primary" onClick={() => setCreating(true)}>
      Create feature
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Features"
        description={
          <>
            Flags and their state in{" "}
            <strong className="font-medium text-zinc-900 dark:text-zinc-100">{environment.name}</strong>.
          </>
        }
        actions={createButton}
      />

      <div className="mb-4 flex flex-col gap-3 lg:flex-row lg:items-center">
        <SearchField
          label="Search features"
          placeholder="Search name or description"
          value={text}
          onChange={setText}
        />
        <TagFilter
          tags={tags.data ?? []}
          selected={tagIds}
          onChange={(ids) => setQuery({ tags: ids.length ? ids.join(",") : null, page: null })}
        />
        <Select
          label="Show"
          hideLabel
          className="w-full sm:w-44"
          value={archived ? "archived" : "active"}
          options={[
            { value: "active", label: "Active features" },
            { value: "archived", label: "Archived features" },
          ]}
          onChange={(event) =>
            setQuery({ archived: event.target.value === "archived" ? "true" : null, page: null })
          }
        />
      </div>

      {features.isPending ? (
        <TableSkeleton rows={8} columns={5} label="Loading features…" />
      ) : features.isError ? (
        <ErrorState
          title="Could not load features"
          error={features.error}
          onRetry={() => void features.refetch()}
        />
      ) : features.data.count === 0 ? (
        archived && !filtered ? (
          <EmptyState
            title="No archived features"
            action={
              <Button onClick={() => setQuery({ archived: null, page: null })}>Show active features</Button>
            }
          >
            Archive a flag once its code is gone (its cleanup issue closed): it leaves this list and GitLab
            comments, and can be restored.
          </EmptyState>
        ) : filtered ? (
          <EmptyState
            title="No matching features"
            action={
              <Button onClick={() => setQuery({ search: null, tags: null, page: null })}>
                Clear search and filters
              </Button>
            }
          >
            No feature matches this search and these tags.
          </EmptyState>
        ) : (
          <EmptyState title="No features yet" action={createButton || undefined}>
            A feature is a flag your code asks about: on or off per environment, optionally with a value.
          </EmptyState>
        )
      ) : (
        <>
          <FeaturesTable
            features={features.data.results}
            context={context}
            stale={features.isPlaceholderData}
          />
          <Pager
            page={page}
            pageSize={PAGE_SIZE}
            count={features.data.count}
            onPageChange={(next) => setQuery({ page: next })}
            noun="features"
          />
        </>
      )}

      {permissions.canEdit && (
        <CreateFeatureDialog
          open={creating}
          onClose={() => setCreating(false)}
          projectId={projectId}
          tags={tags.data ?? []}
        />
      )}
    </>
  );
}
