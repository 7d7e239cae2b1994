"use client";

import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Section } from "@/components/ui/page-header";
import { TableSkeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDateTime, formatRelative } from "@/lib/client/format/dates";
import type { WebhookDelivery, WebhookDeliveryResult } from "@/lib/client/queries/gitlab-types";
import { useGitLabWebhookDeliveries } from "@/lib/client/queries/use-gitlab-webhook-deliveries";

const resultTone = {
  pending: "neutral",
  applied: "success",
  ignored: "neutral",
  duplicate: "accent",
  rejected: "danger",
  error: "warning",
} as const;
const resultLabel: Record<WebhookDeliveryResult, string> = {
  pending: "Pending",
  applied: "Applied",
  ignored: "Ignored",
  duplicate: "Duplicate",
  rejected: "Rejected",
  error: "Error",
};

/** "new_checkout: +Issue Closed −Issue Open" per feature an applied delivery touched. */
function DeliveryChanges({ changes }: { changes: NonNullable<WebhookDelivery["changes"]> }) {
  return (
    <ul data-testid="delivery-changes" className="space-y-0.5 text-xs text-zinc-700 dark:text-zinc-300">
      <li>Now {changes.state}</li>
      {changes.features.map((feature) => {
        const tags = [
          ...feature.added.map((tag) => `+${tag}`),
          ...feature.removed.map((tag) => `−${tag}`),
        ].join(" ");
        return (
          <li key={feature.id} className="break-words">
            <span className="font-mono">{feature.name}</span>
            {tags ? `: ${tags}` : ": state refreshed, tags unchanged"}
          </li>
        );
      })}
    </ul>
  );
}

const hourFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/** What GitLab has been sending: the health of the webhook at a glance, and the last 100 deliveries. */
export function WebhookDeliveries({
  projectId,
  integrationId,
}: {
  projectId: number;
  integrationId: number;
}) {
  const deliveries = useGitLabWebhookDeliveries(projectId, integrationId);
  const data = deliveries.data;

  return (
    <Section
      title="Webhook deliveries"
      description="The last 100 deliveries GitLab sent to the webhook URL, newest first, with what each changed. Requests with a wrong or missing secret token are counted per hour, not listed."
      actions={
        <Button
          size="sm"
          onClick={() => void deliveries.refetch()}
          pending={deliveries.isFetching && !deliveries.isPending}
        >
          Refresh
        </Button>
      }
    >
      <div className="space-y-4">
        <dl className="flex flex-wrap gap-x-8 gap-y-2 text-sm">
          <div className="flex gap-2">
            <dt className="text-zinc-600 dark:text-zinc-400">Last successful delivery</dt>
            <dd
              data-testid="webhook-last-success"
              className="font-medium"
              title={formatDateTime(data?.last_success_at)}
            >
              {data ? formatRelative(data.last_success_at) : "…"}
            </dd>
          </div>
          <div className="flex gap-2">
            <dt className="text-zinc-600 dark:text-zinc-400">Rejected requests in the last 24 hours</dt>
            <dd
              data-testid="webhook-rejected-24h"
              className={
                data?.rejected_last_24h ? "font-semibold text-red-700 dark:text-red-300" : "font-medium"
              }
            >
              {data ? data.rejected_last_24h : "…"}
            </dd>
          </div>
          {!!data?.pending && (
            <div className="flex gap-2">
              <dt className="text-zinc-600 dark:text-zinc-400">Waiting to be applied</dt>
              <dd data-testid="webhook-pending" className="font-medium">
                {data.pending}
              </dd>
            </div>
          )}
        </dl>
        {!!data?.rejected_last_24h && (
          <p
            role="alert"
            className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/50 dark:text-red-100"
          >
            Some deliveries carried a wrong or missing secret token and were refused. If they came from your
            GitLab, paste the secret shown above into the webhook&apos;s <em>Secret token</em> field in
            GitLab.
          </p>
        )}
        {!!data?.rejected.length && (
          <ul aria-label="Refused requests per hour" className="space-y-1 text-sm">
            {data.rejected.map((window) => (
              <li key={window.window_start} className="flex flex-wrap gap-x-2">
                <span className="font-medium tabular-nums" title={formatDateTime(window.window_start)}>
                  {hourFormat.format(new Date(window.window_start))}–
                  {hourFormat.format(new Date(new Date(window.window_start).getTime() + 3600_000))}
                </span>
                <span className="text-red-700 dark:text-red-300">{window.count} refused</span>
                {window.last_reason && (
                  <span className="text-zinc-600 dark:text-zinc-400">(last: {window.last_reason})</span>
                )}
              </li>
            ))}
          </ul>
        )}
        <div className="rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm text-zinc-700 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300">
          <p className="font-medium">Send a test event</p>
          <p>
            In GitLab, open <strong>Settings → Webhooks</strong>, find this webhook and choose{" "}
            <strong>Test → Issue events</strong> (or <strong>Merge request events</strong>). It appears here
            within a few seconds: <em>ignored</em> or <em>applied</em> means the URL and secret work; a rise
            in rejected requests above means the secret token differs.
          </p>
        </div>

        {deliveries.isPending ? (
          <TableSkeleton rows={3} columns={5} label="Loading webhook deliveries…" />
        ) : deliveries.isError ? (
          <ErrorState
            title="Could not load the webhook deliveries"
            error={deliveries.error}
            onRetry={() => void deliveries.refetch()}
          />
        ) : data!.results.length === 0 ? (
          <EmptyState title="No deliveries yet">
            GitLab has not called the webhook URL of this project. Send a test event from GitLab to check the
            setup.
          </EmptyState>
        ) : (
          <Table caption="Webhook deliveries" className="max-h-[32rem]">
            <THead>
              <tr>
                <TH>Received</TH>
                <TH>Event</TH>
                <TH>Action</TH>
                <TH>Item</TH>
                <TH>Result</TH>
              </tr>
            </THead>
            <TBody>
              {data!.results.map((delivery) => (
                <TR key={delivery.id} data-testid="webhook-delivery">
                  <TD className="whitespace-nowrap" title={formatDateTime(delivery.received_at)}>
                    {formatRelative(delivery.received_at)}
                  </TD>
                  <TD className="whitespace-nowrap">{delivery.event ?? "—"}</TD>
                  <TD>{delivery.action ?? "—"}</TD>
                  <TD className="font-mono text-xs">{delivery.item_ref ?? "—"}</TD>
                  <TD>
                    <div className="flex flex-col items-start gap-1">
                      <Badge tone={resultTone[delivery.result]} title={`HTTP ${delivery.http_status}`}>
                        {resultLabel[delivery.result]}
                      </Badge>
                      {delivery.changes && <DeliveryChanges changes={delivery.changes} />}
                      {delivery.reason && (
                        <span className="max-w-md text-xs break-words text-zinc-600 dark:text-zinc-400">
                          {delivery.reason}
                        </span>
                      )}
                    </div>
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </div>
    </Section>
  );
}
