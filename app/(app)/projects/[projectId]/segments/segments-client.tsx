"use client";

import { useState } from "react";
import { SegmentFormDialog } from "@/components/segments/segment-form-dialog";
import { SegmentRulesSummary } from "@/components/segments/segment-rules-summary";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { SearchField } from "@/components/ui/search-field";
import { TableSkeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { toast } from "sonner";
import { formatRelative } from "@/lib/client/format/dates";
import { useUrlQuery } from "@/lib/client/hooks/use-url-query";
import { useUrlSearch } from "@/lib/client/hooks/use-url-search";
import type { Segment } from "@/lib/client/queries/types";
import { useDeleteSegment } from "@/lib/client/queries/use-delete-segment";
import { useProjectPermissions } from "@/lib/client/queries/use-permissions";
import { useSegments } from "@/lib/client/queries/use-segments";

const PAGE_SIZE = 20;

export function SegmentsClient({ projectId }: { projectId: number }) {
  const { page, setQuery } = useUrlQuery();
  const { text, setText, search } = useUrlSearch();
  const permissions = useProjectPermissions(projectId);
  const segments = useSegments(projectId, { search: search || undefined, page, page_size: PAGE_SIZE });
  const deleteSegment = useDeleteSegment(projectId);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Segment | null>(null);
  const [deleting, setDeleting] = useState<Segment | null>(null);
  const canEdit = permissions.canEdit;

  const createButton = canEdit && (
    <Button variant="primary" onClick={() => setCreating(true)}>
      Create segment
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Segments"
        description="Groups of users that can get their own state of a feature."
        actions={createButton}
      />
      <div className="mb-4">
        <SearchField label="Search segments" value={text} onChange={setText} />
      </div>

      {segments.isPending ? (
        <TableSkeleton columns={3} label="Loading segments…" />
      ) : segments.isError ? (
        <ErrorState
          title="Could not load segments"
          error={segments.error}
          onRetry={() => void segments.refetch()}
        />
      ) : segments.data.count === 0 ? (
        search ? (
          <EmptyState title="No matching segments">No segment name contains “{search}”.</EmptyState>
        ) : (
          <EmptyState title="No segments yet" action={createButton || undefined}>
            Segments let a feature behave differently for some users, such as beta testers or one customer.
          </EmptyState>
        )
      ) : (
        <>
          <Table caption="Segments">
            <THead>
              <tr>
                <TH>Name</TH>
                <TH>Rules</TH>
                <TH className="w-40">Updated</TH>
                {canEdit && (
                  <TH className="w-40">
                    <span className="sr-only">Actions</span>
                  </TH>
                )}
              </tr>
            </THead>
            <TBody>
              {segments.data.results.map((segment) => (
                <TR key={segment.id}>
                  <TD>
                    <p className="font-medium">{segment.name}</p>
                    {segment.description && (
                      <p className="text-xs text-zinc-500 dark:text-zinc-400">{segment.description}</p>
                    )}
                  </TD>
                  <TD className="max-w-md text-sm text-zinc-700 dark:text-zinc-300">
                    <SegmentRulesSummary segment={segment} />
                  </TD>
                  <TD className="text-zinc-600 dark:text-zinc-400">{formatRelative(segment.updated_at)}</TD>
                  {canEdit && (
                    <TD className="text-right whitespace-nowrap">
                      <Button
                        variant="ghost"
                        size="sm"
                        onClick={() => setEditing(segment)}
                        aria-label={`Edit segment ${segment.name}`}
                      >
                        Edit
                      </Button>
                      <Button
                        variant="ghost"
                        size="sm"
                        onClick={() => setDeleting(segment)}
                        aria-label={`Delete segment ${segment.name}`}
                      >
                        Delete
                      </Button>
                    </TD>
                  )}
                </TR>
              ))}
            </TBody>
          </Table>
          <Pager
            page={page}
            pageSize={PAGE_SIZE}
            count={segments.data.count}
            onPageChange={(next) => setQuery({ page: next })}
            noun="segments"
          />
        </>
      )}

      {canEdit && (
        <SegmentFormDialog open={creating} onClose={() => setCreating(false)} projectId={projectId} />
      )}
      {editing && (
        <SegmentFormDialog
          key={editing.id}
          open
          onClose={() => setEditing(null)}
          projectId={projectId}
          segment={editing}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete segment ${deleting?.name ?? ""}?`}
        confirmLabel="Delete segment"
        onConfirm={async () => {
          if (!deleting) return;
          await deleteSegment.mutateAsync(deleting.id);
          toast.success(`Deleted segment ${deleting.name}`);
        }}
      >
        <p>
          Every feature override for <strong>{deleting?.name}</strong> is deleted with it, in all
          environments.
        </p>
      </ConfirmDialog>
    </>
  );
}
