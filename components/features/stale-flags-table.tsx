"use client";

import Link from "next/link";
import { ItemStateBadge } from "@/components/gitlab/gitlab-item-display";
import { Badge } from "@/components/ui/badge";
import { Button, focusRing } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { toast } from "sonner";
import { formatDate } from "@/lib/client/format/dates";
import { errorMessage } from "@/lib/client/queries/api-client";
import type { StaleFlag } from "@/lib/client/queries/gitlab-types";
import { useUpdateFeature } from "@/lib/client/queries/use-update-feature";
import { routes } from "@/lib/client/routes";

// The rows of the stale-flag view: the flag, why it is listed, its open cleanup issue, and the
// two ways out (a cleanup issue in GitLab, or "permanent" for flags meant to stay).

interface StaleFlagsTableProps {
  projectId: number;
  rows: StaleFlag[];
  /** Where feature links lead; null until the project's environments are known. */
  environmentKey: string | null;
  canEdit: boolean;
  /** Absent without a GitLab integration (or for viewers). */
  onCreateCleanupIssue?: (feature: { id: number; name: string }) => void;
  busy?: boolean;
}

function MarkPermanentButton({ projectId, row }: { projectId: number; row: StaleFlag }) {
  const update = useUpdateFeature(projectId, row.feature.id);
  return (
    <Button
      size="sm"
      pending={update.isPending}
      aria-label={`Mark ${row.feature.name} as permanent`}
      onClick={() =>
        update.mutate(
          { is_permanent: true },
          {
            onSuccess: () =>
              toast.success(`${row.feature.name} is permanent: it will not be listed as stale again`),
            onError: (error) =>
              toast.error(`Could not mark ${row.feature.name} as permanent: ${errorMessage(error)}`),
          },
        )
      }
    >
      Mark permanent
    </Button>
  );
}

export function StaleFlagsTable({
  projectId,
  rows,
  environmentKey,
  canEdit,
  onCreateCleanupIssue,
  busy,
}: StaleFlagsTableProps) {
  return (
    <div className={cx("transition-opacity", busy && "opacity-60")} aria-busy={busy || undefined}>
      <Table caption="Stale flags">
        <THead>
          <tr>
            <TH>Feature</TH>
            <TH>Why it is listed</TH>
            <TH className="w-64">Cleanup issue</TH>
            {canEdit && (
              <TH className="w-72">
                <span className="sr-only">Actions</span>
              </TH>
            )}
          </tr>
        </THead>
        <TBody>
          {rows.map((row) => {
            const cleanup = row.open_cleanup_issue;
            return (
              <TR key={row.feature.id} data-testid={`stale-flag-${row.feature.name}`}>
                <TD className="min-w-48 align-top">
                  {environmentKey ? (
                    <Link
                      href={routes.feature(projectId, environmentKey, row.feature.id)}
                      className={cx(
                        "rounded font-mono text-sm font-medium text-accent-700 hover:underline dark:text-accent-300",
                        focusRing,
                      )}
                    >
                      {row.feature.name}
                    </Link>
                  ) : (
                    <span className="font-mono text-sm font-medium">{row.feature.name}</span>
                  )}
                  {row.feature.description && (
                    <p className="text-xs text-zinc-500 dark:text-zinc-400">{row.feature.description}</p>
                  )}
                </TD>
                <TD className="align-top">
                  <p>{row.reason}</p>
                  <p className="text-xs text-zinc-500 dark:text-zinc-400">
                    Stale since {formatDate(row.since)}
                  </p>
                </TD>
                <TD className="align-top">
                  {cleanup ? (
                    <a
                      href={cleanup.url}
                      target="_blank"
                      rel="noreferrer noopener"
                      className="inline-flex flex-wrap items-center gap-1.5 hover:underline"
                    >
                      <span className="font-mono text-xs">{cleanup.metadata.reference}</span>
                      <span>{cleanup.metadata.title}</span>
                      <ItemStateBadge state={cleanup.metadata.state} type="GITLAB_ISSUE" />
                      <span className="sr-only"> (opens GitLab in a new tab)</span>
                    </a>
                  ) : row.ready_to_delete ? (
                    <Badge tone="success">Ready to delete</Badge>
                  ) : (
                    <span className="text-zinc-400">None yet</span>
                  )}
                </TD>
                {canEdit && (
                  <TD className="align-top">
                    <div className="flex flex-wrap justify-end gap-2">
                      {onCreateCleanupIssue && (
                        <Button
                          size="sm"
                          variant={cleanup ? "secondary" : "primary"}
                          onClick={() => onCreateCleanupIssue({ id: row.feature.id, name: row.feature.name })}
                          aria-label={`Create cleanup issue for ${row.feature.name}`}
                        >
                          Create cleanup issue
                        </Button>
                      )}
                      <MarkPermanentButton projectId={projectId} row={row} />
                    </div>
                  </TD>
                )}
              </TR>
            );
          })}
        </TBody>
      </Table>
    </div>
  );
}
