"use client";

import Link from "next/link";
import { useState } from "react";
import { EnvironmentNameDialog } from "@/components/environments/environment-name-dialog";
import { ProtectedSwitch } from "@/components/environments/protected-switch";
import { SdkSetup } from "@/components/environments/sdk-setup";
import { ServerKeys } from "@/components/environments/server-keys";
import { Button, focusRing } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { Select } from "@/components/ui/select";
import { TableSkeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { toast } from "sonner";
import { formatDate } from "@/lib/client/format/dates";
import { useUrlQuery } from "@/lib/client/hooks/use-url-query";
import type { Environment } from "@/lib/client/queries/types";
import { useDeleteEnvironment } from "@/lib/client/queries/use-delete-environment";
import { useEnvironments } from "@/lib/client/queries/use-environments";
import { useProjectPermissions } from "@/lib/client/queries/use-permissions";
import { routes } from "@/lib/client/routes";

const PAGE_SIZE = 20;

export function EnvironmentsClient({ projectId, publicUrl }: { projectId: number; publicUrl: string }) {
  const { page, setQuery } = useUrlQuery();
  const permissions = useProjectPermissions(projectId);
  const environments = useEnvironments(projectId, { page, page_size: PAGE_SIZE });
  const deleteEnvironment = useDeleteEnvironment(projectId);
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<Environment | null>(null);
  const [deleting, setDeleting] = useState<Environment | null>(null);
  const [sdkEnvironmentKey, setSdkEnvironmentKey] = useState<string | null>(null);
  const canAdmin = permissions.canAdmin;

  const createButton = canAdmin && (
    <Button variant="primary" onClick={() => setCreating(true)}>
      Create environment
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Environments"
        description="Each environment (such as Development or Production) has its own on/off state and value for every feature, and its own API key."
        actions={createButton}
      />

      {environments.isPending ? (
        <TableSkeleton columns={4} label="Loading environments…" />
      ) : environments.isError ? (
        <ErrorState
          title="Could not load environments"
          error={environments.error}
          onRetry={() => void environments.refetch()}
        />
      ) : environments.data.count === 0 ? (
        <EmptyState title="This project has no environments yet" action={createButton || undefined}>
          <p>
            Features are turned on and off per environment, so the feature list needs at least one. Create one
            — for example Development — to start managing features.
          </p>
          {!canAdmin && <p className="mt-2">Ask a project administrator to create one.</p>}
        </EmptyState>
      ) : (
        <>
          <Table caption="Environments">
            <THead>
              <tr>
                <TH>Name</TH>
                <TH>API key</TH>
                <TH className="w-36" title="Flag changes in a protected environment ask for confirmation">
                  Protected
                </TH>
                <TH className="w-36">Created</TH>
                {canAdmin && (
                  <TH className="w-44">
                    <span className="sr-only">Actions</span>
                  </TH>
                )}
              </tr>
            </THead>
            <TBody>
              {environments.data.results.map((environment) => (
                <TR key={environment.id}>
                  <TD>
                    <Link
                      href={routes.features(projectId, environment.api_key)}
                      className={cx(
                        "rounded font-medium text-accent-700 hover:underline dark:text-accent-300",
                        focusRing,
                      )}
                    >
                      {environment.name}
                    </Link>
                  </TD>
                  <TD>
                    <div className="flex items-center gap-2">
                      <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">
                        {environment.api_key}
                      </code>
                      <CopyButton value={environment.api_key} what={`${environment.name} API key`} />
                    </div>
                  </TD>
                  <TD>
                    <ProtectedSwitch projectId={projectId} environment={environment} canAdmin={canAdmin} />
                  </TD>
                  <TD className="text-zinc-600 dark:text-zinc-400">{formatDate(environment.created_at)}</TD>
                  {canAdmin && (
                    <TD className="text-right whitespace-nowrap">
                      <Button
                        variant="ghost"
                        size="sm"
                        onClick={() => setRenaming(environment)}
                        aria-label={`Rename ${environment.name}`}
                      >
                        Rename
                      </Button>
                      <Button
                        variant="ghost"
                        size="sm"
                        onClick={() => setDeleting(environment)}
                        aria-label={`Delete ${environment.name}`}
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
            count={environments.data.count}
            onPageChange={(next) => setQuery({ page: next })}
            noun="environments"
          />
          <SdkSection
            environments={environments.data.results}
            chosenKey={sdkEnvironmentKey}
            onChoose={setSdkEnvironmentKey}
            publicUrl={publicUrl}
            canAdmin={canAdmin}
          />
        </>
      )}

      {canAdmin && (
        <EnvironmentNameDialog open={creating} onClose={() => setCreating(false)} projectId={projectId} />
      )}
      {renaming && (
        <EnvironmentNameDialog
          key={renaming.id}
          open
          onClose={() => setRenaming(null)}
          projectId={projectId}
          environment={renaming}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete environment ${deleting?.name ?? ""}?`}
        confirmLabel="Delete environment"
        onConfirm={async () => {
          if (!deleting) return;
          await deleteEnvironment.mutateAsync(deleting.api_key);
          toast.success(`Deleted environment ${deleting.name}`);
        }}
      >
        <p>
          The on/off state and value of every feature in <strong>{deleting?.name}</strong>, and its segment
          overrides, are deleted with it.
        </p>
        <p>Applications using its API key stop receiving flags. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}

/** The keys and SDK snippets of one environment of the page (the first unless another is chosen). */
function SdkSection({
  environments,
  chosenKey,
  onChoose,
  publicUrl,
  canAdmin,
}: {
  environments: Environment[];
  chosenKey: string | null;
  onChoose: (apiKey: string) => void;
  publicUrl: string;
  canAdmin: boolean;
}) {
  const chosen = environments.find((environment) => environment.api_key === chosenKey) ?? environments[0];
  if (!chosen) return null;
  return (
    <div className="mt-10 space-y-6 border-t border-zinc-200 pt-6 dark:border-zinc-800">
      {environments.length > 1 && (
        <Select
          label="Show the SDK set-up of"
          value={chosen.api_key}
          onChange={(event) => onChoose(event.target.value)}
          options={environments.map((environment) => ({
            value: environment.api_key,
            label: environment.name,
          }))}
        />
      )}
      <SdkSetup environment={chosen} publicUrl={publicUrl} />
      {canAdmin && <ServerKeys key={chosen.api_key} environment={chosen} />}
    </div>
  );
}
