"use client";

import { ItemStateBadge, ItemTypeIcon } from "@/components/gitlab/gitlab-item-display";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime, formatRelative } from "@/lib/client/format/dates";
import type { FeatureLink } from "@/lib/client/queries/gitlab-types";

// The GitLab issues and merge requests linked to a feature: what each is, where it is, its state as
// GitLab last reported it and how fresh that is. Rows still being saved have negative ids.

interface LinkedItemsTableProps {
  featureName: string;
  links: FeatureLink[];
  /** Absent for viewers: the table is read-only. */
  onUnlink?: (link: FeatureLink) => void;
}

function Freshness({ link }: { link: FeatureLink }) {
  const { refreshed_at: refreshedAt, stale } = link.metadata;
  return (
    <span
      className="whitespace-nowrap text-zinc-600 dark:text-zinc-400"
      title={refreshedAt ? `Read from GitLab ${formatDateTime(refreshedAt)}` : undefined}
    >
      {formatRelative(refreshedAt)}
      {stale && (
        <span className="ml-1.5" title="GitLab did not answer in time; this is what it said last">
          <Badge tone="warning">stale</Badge>
        </span>
      )}
    </span>
  );
}

export function LinkedItemsTable({ featureName, links, onUnlink }: LinkedItemsTableProps) {
  return (
    <Table caption={`Issues and merge requests linked to ${featureName}`}>
      <THead>
        <tr>
          <TH className="w-14">Type</TH>
          <TH>Item</TH>
          <TH className="w-28">State</TH>
          <TH>Labels</TH>
          <TH className="w-40">Refreshed</TH>
          {onUnlink && (
            <TH className="w-24">
              <span className="sr-only">Actions</span>
            </TH>
          )}
        </tr>
      </THead>
      <TBody>
        {links.map((link) => {
          const pending = link.id < 0;
          const { metadata } = link;
          const reference = `${metadata.project_path}${metadata.reference}`;
          return (
            <TR
              key={link.id}
              aria-busy={pending || undefined}
              data-testid={pending ? undefined : `linked-item-${metadata.reference}`}
            >
              <TD>
                <ItemTypeIcon type={link.type} />
              </TD>
              <TD className="min-w-64">
                <a
                  href={link.url}
                  target="_blank"
                  rel="noreferrer noopener"
                  className="group block font-medium text-zinc-900 hover:underline dark:text-zinc-100"
                >
                  {metadata.reference && (
                    <span className="mr-1.5 font-mono text-xs text-zinc-500 tabular-nums">
                      {metadata.reference}
                    </span>
                  )}
                  {metadata.title}
                  <span className="sr-only"> (opens GitLab in a new tab)</span>
                </a>
                {metadata.project_path && (
                  <span className="block text-xs text-zinc-500 dark:text-zinc-400">
                    {metadata.project_path}
                  </span>
                )}
              </TD>
              <TD>
                {pending ? (
                  <Badge>Linking…</Badge>
                ) : (
                  <span className="flex flex-wrap gap-1">
                    <ItemStateBadge state={metadata.state} draft={metadata.draft} />
                    {link.is_cleanup_issue && (
                      <span title="Created by “Create cleanup issue”: closing it marks the flag ready to delete">
                        <Badge tone="accent">Cleanup issue</Badge>
                      </span>
                    )}
                    {metadata.unavailable && (
                      <span title="GitLab no longer shows this item: it was deleted, moved or hidden from the integration's token">
                        <Badge>Unavailable</Badge>
                      </span>
                    )}
                  </span>
                )}
              </TD>
              <TD>
                <span className="flex flex-wrap gap-1">
                  {metadata.labels.map((label) => (
                    <Badge key={label}>{label}</Badge>
                  ))}
                </span>
              </TD>
              <TD>{pending ? "—" : <Freshness link={link} />}</TD>
              {onUnlink && (
                <TD className="text-right">
                  <Button
                    variant="ghost"
                    size="sm"
                    disabled={pending}
                    onClick={() => onUnlink(link)}
                    aria-label={`Unlink ${reference}`}
                  >
                    Unlink
                  </Button>
                </TD>
              )}
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
