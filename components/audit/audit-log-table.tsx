"use client";

import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { focusRing } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime, formatRelative } from "@/lib/client/format/dates";
import type { AuditEntry, Environment } from "@/lib/client/queries/types";
import { routes } from "@/lib/client/routes";

const actionTone = { CREATE: "success", UPDATE: "accent", DELETE: "danger" } as const;
const actionLabel = { CREATE: "Created", UPDATE: "Updated", DELETE: "Deleted" } as const;

function describe(value: unknown): string {
  return value === null || value === undefined ? "no value" : JSON.stringify(value);
}

function Changes({ changes }: { changes: AuditEntry["changes"] }) {
  const entries = Object.entries(changes ?? {});
  if (!entries.length) return null;
  return (
    <details className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
      <summary className={cx("cursor-pointer rounded select-none", focusRing)}>
        {entries.length} {entries.length === 1 ? "change" : "changes"}
      </summary>
      <dl className="mt-1 space-y-0.5">
        {entries.map(([field, change]) => (
          <div key={field} className="flex flex-wrap gap-1">
            <dt className="font-medium">{field}:</dt>
            <dd className="font-mono break-all">
              {describe(change?.from)} → {describe(change?.to)}
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

interface AuditLogTableProps {
  entries: AuditEntry[];
  projectId: number;
  environmentsById: Map<number, Environment>;
  /** Environment to open a feature in when the entry names none. */
  fallbackEnvironmentKey?: string;
  showFeature?: boolean;
}

export function AuditLogTable({
  entries,
  projectId,
  environmentsById,
  fallbackEnvironmentKey,
  showFeature = true,
}: AuditLogTableProps) {
  return (
    <Table caption="Audit log entries">
      <THead>
        <tr>
          <TH className="w-44">Time</TH>
          <TH className="w-48">Actor</TH>
          <TH className="w-28">Action</TH>
          <TH>Summary</TH>
          <TH className="w-36">Environment</TH>
          {showFeature && <TH className="w-28">Feature</TH>}
        </tr>
      </THead>
      <TBody>
        {entries.map((entry) => {
          const environment = entry.environment ? environmentsById.get(entry.environment) : undefined;
          const featureEnvironmentKey = environment?.api_key ?? fallbackEnvironmentKey;
          return (
            <TR key={entry.id} className="align-top">
              <TD className="whitespace-nowrap text-zinc-600 dark:text-zinc-400">
                <time dateTime={entry.created_at} title={formatDateTime(entry.created_at)}>
                  {formatRelative(entry.created_at)}
                </time>
              </TD>
              <TD className="max-w-48 truncate" title={entry.actor ?? "System"}>
                {entry.actor ?? "System"}
              </TD>
              <TD>
                <Badge tone={actionTone[entry.action] ?? "neutral"}>
                  {actionLabel[entry.action] ?? entry.action}
                </Badge>
              </TD>
              <TD>
                <p>{entry.summary}</p>
                <Changes changes={entry.changes} />
              </TD>
              <TD className="text-zinc-700 dark:text-zinc-300">
                {environment ? (
                  environment.name
                ) : entry.environment ? (
                  <span className="text-zinc-400">Deleted</span>
                ) : (
                  "—"
                )}
              </TD>
              {showFeature && (
                <TD>
                  {entry.feature && featureEnvironmentKey ? (
                    <Link
                      href={routes.feature(projectId, featureEnvironmentKey, entry.feature)}
                      className={cx(
                        "rounded text-accent-700 hover:underline dark:text-accent-300",
                        focusRing,
                      )}
                      aria-label={`Open the feature of: ${entry.summary}`}
                    >
                      Open
                    </Link>
                  ) : (
                    "—"
                  )}
                </TD>
              )}
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
