"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { FormError } from "@/components/ui/form-error";
import { toast } from "sonner";
import { errorMessage } from "@/lib/client/queries/api-client";
import type { GitLabIntegrationConfig } from "@/lib/client/queries/gitlab-types";
import { useGitLabWebhook } from "@/lib/client/queries/use-gitlab-webhook";

/** What to paste into GitLab's webhook form, and the shortcut when the token may do it itself. */
export function WebhookDetails({
  projectId,
  config,
}: {
  projectId: number;
  config: GitLabIntegrationConfig;
}) {
  const [revealed, setRevealed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const webhook = useGitLabWebhook(projectId, config.id);
  const secret = config.webhook_secret ?? "";
  const settingsUrl = config.project_name
    ? `${config.gitlab_instance_url}/${config.project_name}/-/hooks`
    : null;

  const create = () => {
    setError(null);
    webhook.register.mutate(undefined, {
      onSuccess: () => toast.success("Webhook created in GitLab"),
      onError: (caught) => setError(errorMessage(caught)),
    });
  };
  const remove = () => {
    setError(null);
    webhook.remove.mutate(undefined, {
      onSuccess: () => toast.success("Webhook removed from GitLab"),
      onError: (caught) => setError(errorMessage(caught)),
    });
  };

  return (
    <div className="max-w-2xl space-y-4">
      <dl className="space-y-3 text-sm">
        <div className="space-y-1">
          <dt className="font-medium text-zinc-800 dark:text-zinc-200">Webhook URL</dt>
          <dd className="flex flex-wrap items-center gap-2">
            <code
              data-testid="webhook-url"
              className="min-w-0 flex-1 break-all rounded bg-zinc-100 px-2 py-1.5 text-xs dark:bg-zinc-800"
            >
              {config.webhook_url}
            </code>
            <CopyButton value={config.webhook_url} what="Webhook URL" />
          </dd>
        </div>
        <div className="space-y-1">
          <dt className="font-medium text-zinc-800 dark:text-zinc-200">Secret token</dt>
          <dd className="flex flex-wrap items-center gap-2">
            <code
              data-testid="webhook-secret"
              className="min-w-0 flex-1 break-all rounded bg-zinc-100 px-2 py-1.5 text-xs dark:bg-zinc-800"
            >
              {revealed ? secret : "•".repeat(24)}
            </code>
            <Button size="sm" onClick={() => setRevealed((value) => !value)} aria-pressed={revealed}>
              {revealed ? "Hide secret" : "Show secret"}
            </Button>
            <CopyButton value={secret} what="Webhook secret" />
          </dd>
        </div>
      </dl>

      {config.webhook_registered ? (
        <div className="flex flex-wrap items-center gap-3 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-100">
          <p className="flex-1">
            Flagpost created this webhook on {config.project_name}. It is removed when you delete the
            integration.
          </p>
          <Button size="sm" onClick={remove} pending={webhook.remove.isPending}>
            Remove the webhook
          </Button>
        </div>
      ) : (
        <>
          {config.can_manage_webhooks && (
            <div className="flex flex-wrap items-center gap-3 rounded-md border border-accent-200 bg-accent-50 px-3 py-2 text-sm dark:border-accent-800 dark:bg-accent-950/40">
              <p className="flex-1">
                The token is a Maintainer of {config.project_name}, so Flagpost can add the webhook for you.
              </p>
              <Button size="sm" variant="primary" onClick={create} pending={webhook.register.isPending}>
                Create the webhook for me
              </Button>
            </div>
          )}
          <div className="text-sm text-zinc-700 dark:text-zinc-300">
            <p className="font-medium">
              {config.can_manage_webhooks ? "Or add it in GitLab yourself:" : "Add the webhook in GitLab:"}
            </p>
            <ol className="mt-1 list-decimal space-y-1 pl-5">
              <li>
                In the GitLab project{config.project_name ? ` ${config.project_name}` : ""}, open{" "}
                <strong>Settings → Webhooks</strong>
                {settingsUrl && (
                  <>
                    {" "}
                    (
                    <a
                      href={settingsUrl}
                      target="_blank"
                      rel="noreferrer"
                      className="font-medium text-accent-700 underline dark:text-accent-300"
                    >
                      open in GitLab
                    </a>
                    )
                  </>
                )}{" "}
                and choose <strong>Add new webhook</strong>.
              </li>
              <li>
                Paste the <strong>Webhook URL</strong> into <em>URL</em> and the <strong>secret token</strong>{" "}
                into <em>Secret token</em>.
              </li>
              <li>
                Under <em>Trigger</em>, tick <strong>Issues events</strong>,{" "}
                <strong>Confidential issues events</strong> and <strong>Merge request events</strong>; untick{" "}
                <em>Push events</em>.
              </li>
              <li>
                Keep <strong>Enable SSL verification</strong> on
                {config.webhook_url.startsWith("http:")
                  ? " (it has no effect here: this Flagpost is served over plain http)"
                  : ""}
                , then <strong>Add webhook</strong>.
              </li>
            </ol>
          </div>
        </>
      )}
      <FormError message={error} />
    </div>
  );
}
