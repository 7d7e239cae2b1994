"use client";

import { Trash2 } from "lucide-react";
import type { ReactNode } from "react";
import { ItemStateBadge, ItemTypeIcon } from "@/components/gitlab/gitlab-item-display";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { formatDateTime, formatRelative } from "@/lib/client/format/dates";
import type { FeatureLink } from "@/lib/client/queries/gitlab-types";

// The GitLab issues and merge requests linked to a feature, one row each: what it is, its state as
// GitLab last reported it, its labels and how fresh that is. Rows wrap instead of overflowing on
// phones. Rows still being saved have negative ids. `renderDetails` adds a line under a row (for
// per-item settings such as release rules).

interface LinkedItemsListProps {
  featureName: string;
  links: FeatureLink[];
  /** Absent for viewers: the list is read-only. */
  onUnlink?: (link: FeatureLink) => void;
  renderDetails?: (link: FeatureLink) => ReactNode;
}

function Freshness({ link }: { link: FeatureLink }) {
  const { refreshed_at: refreshedAt, stale } = link.metadata;
  return (
    <span
      className="text-xs whitespace-nowrap text-zinc-500 dark:text-zinc-400"
      title={refreshedAt ? `Read from GitLab ${formatDateTime(refreshedAt)}` : undefined}
    >
      Refreshed {formatRelative(refreshedAt)}
      {stale && (
        <span className="ml-1.5" title="GitLab did not answer in time; this is what it said last">
          <Badge tone="warning">stale</Badge>
        </span>
      )}
    </span>
  );
}

export function LinkedItemsList({ featureName, links, onUnlink, renderDetails }: LinkedItemsListProps) {
  return (
    <ul
      aria-label={`Issues and merge requests linked to ${featureName}`}
      className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
    >
      {links.map((link) => (
        <LinkedItemRow key={link.id} link={link} onUnlink={onUnlink}>
          {renderDetails?.(link)}
        </LinkedItemRow>
      ))}
    </ul>
  );
}

function LinkedItemRow({
  link,
  onUnlink,
  children,
}: {
  link: FeatureLink;
  onUnlink?: (link: FeatureLink) => void;
  children?: ReactNode;
}) {
  const pending = link.id < 0;
  const { metadata } = link;
  const reference = `${metadata.project_path}${metadata.reference}`;
  return (
    <li
      aria-busy={pending || undefined}
      data-testid={pending ? undefined : `linked-item-${metadata.reference}`}
      className="px-3 py-3 sm:px-4"
    >
      <div className="flex items-start gap-3">
        <ItemTypeIcon type={link.type} />
        <div className="min-w-0 flex-1 space-y-1">
          <a
            href={link.url}
            target="_blank"
            rel="noreferrer noopener"
            className="block font-medium break-words text-zinc-900 hover:underline dark:text-zinc-100"
          >
            {metadata.reference && (
              <span className="mr-1.5 font-mono text-xs text-zinc-500 tabular-nums">
                {metadata.reference}
              </span>
            )}
            {metadata.title}
            <span className="sr-only"> (opens GitLab in a new tab)</span>
          </a>
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            {pending ? (
              <Badge>Linking…</Badge>
            ) : (
              <ItemStateBadge state={metadata.state} draft={metadata.draft} type={link.type} />
            )}
            {link.is_cleanup_issue && (
              <Badge
                tone="accent"
                title="Created by “Create cleanup issue”: closing it marks the flag ready to delete"
              >
                Cleanup issue
              </Badge>
            )}
            {metadata.unavailable && (
              <Badge title="GitLab no longer shows this item: it was deleted, moved or hidden from the integration's token">
                Unavailable
              </Badge>
            )}
            {metadata.project_path && (
              <span className="text-xs break-all text-zinc-500 dark:text-zinc-400">
                {metadata.project_path}
              </span>
            )}
            {metadata.labels.map((label) => (
              <Badge key={label}>{label}</Badge>
            ))}
            {!pending && <Freshness link={link} />}
          </div>
        </div>
        {onUnlink && (
          <Button
            variant="ghost"
            size="sm"
            disabled={pending}
            onClick={() => onUnlink(link)}
            aria-label={`Unlink ${reference}`}
            title={`Unlink ${reference}`}
          >
            <Trash2 aria-hidden="true" className="size-4" />
            <span className="hidden sm:inline">Unlink</span>
          </Button>
        )}
      </div>
      {children}
    </li>
  );
}
