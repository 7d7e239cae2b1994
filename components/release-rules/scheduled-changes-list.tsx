"use client";

import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { TableSkeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime } from "@/lib/client/format/dates";
import { errorMessage } from "@/lib/client/queries/api-client";
import { useProjectPermissions } from "@/lib/client/queries/use-permissions";
import { useCancelScheduledChange, useScheduledChanges } from "@/lib/client/queries/use-release-rules";

/** The project's delayed release-rule changes, soonest first; editors cancel them. */
export function ScheduledChangesList({ projectId }: { projectId: number }) {
  const changes = useScheduledChanges(projectId);
  const permissions = useProjectPermissions(projectId);
  const cancel = useCancelScheduledChange(projectId);
  const canEdit = permissions.canEdit;
  return (
    <div className="space-y-6">
      <PageHeader
        title="Scheduled changes"
        description="Flag changes release rules will make later (a merge request merged, a delay running)."
      />
      {changes.isPending ? (
        <TableSkeleton rows={3} columns={5} label="Loading scheduled changes…" />
      ) : changes.isError ? (
        <ErrorState
          title="Could not load scheduled changes"
          error={changes.error}
          onRetry={() => void changes.refetch()}
        />
      ) : changes.data.length === 0 ? (
        <EmptyState title="Nothing scheduled">
          Release rules with a delay put their pending changes here once their merge request merges or their
          issue closes.
        </EmptyState>
      ) : (
        <Table caption="Scheduled changes">
          <THead>
            <TR>
              <TH>Due</TH>
              <TH>Feature</TH>
              <TH>Change</TH>
              <TH>Because</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {changes.data.map((change) => (
              <TR key={change.id}>
                <TD>{formatDateTime(change.run_at)}</TD>
                <TD>{change.feature_name}</TD>
                <TD>{change.description}</TD>
                <TD>{change.cause}</TD>
                <TD>
                  {canEdit && (
                    <Button
                      size="sm"
                      onClick={() =>
                        cancel.mutate(change.id, {
                          onSuccess: () => toast.success("Scheduled change cancelled"),
                          onError: (error) => toast.error(errorMessage(error)),
                        })
                      }
                    >
                      Cancel
                    </Button>
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}
