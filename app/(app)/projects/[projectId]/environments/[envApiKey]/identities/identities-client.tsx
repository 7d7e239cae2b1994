"use client";

import { useState } from "react";
import { toast } from "sonner";
import { CreateIdentityDialog } from "@/components/identities/create-identity-dialog";
import { EvaluatedFlags } from "@/components/identities/evaluated-flags";
import { IdentityOverrides } from "@/components/identities/identity-overrides";
import { IdentityTraits } from "@/components/identities/identity-traits";
import { Button, focusRing } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { SearchField } from "@/components/ui/search-field";
import { BlockSkeleton, TableSkeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatRelative } from "@/lib/client/format/dates";
import { useUrlQuery } from "@/lib/client/hooks/use-url-query";
import { useUrlSearch } from "@/lib/client/hooks/use-url-search";
import { isApiClientError } from "@/lib/client/queries/api-client";
import type { Environment, Identity } from "@/lib/client/queries/types";
import { useDeleteIdentity, useIdentities, useIdentity } from "@/lib/client/queries/use-identities";
import { useProjectPermissions } from "@/lib/client/queries/use-permissions";

// One environment's identities (searched and paged by the server) and, for the one picked
// (`?identity=`), its traits, its evaluated flags with their reasons and its overrides.

const PAGE_SIZE = 20;

export function IdentitiesClient({
  projectId,
  environment,
}: {
  projectId: number;
  environment: Environment;
}) {
  const { searchParams, setQuery, page } = useUrlQuery();
  const { text, setText, search } = useUrlSearch();
  const permissions = useProjectPermissions(projectId);
  const canEdit = permissions.canEdit;
  const identities = useIdentities(environment.api_key, {
    search: search || undefined,
    page,
    page_size: PAGE_SIZE,
  });
  const selectedParam = Number(searchParams.get("identity"));
  const selectedId = Number.isInteger(selectedParam) && selectedParam > 0 ? selectedParam : null;
  const deleteIdentity = useDeleteIdentity(projectId, environment.api_key);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Identity | null>(null);

  const select = (identityId: number | null) => setQuery({ identity: identityId }, { push: true });

  const createButton = canEdit && (
    <Button variant="primary" onClick={() => setCreating(true)}>
      Create identity
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Identities"
        description={`Users of your application in ${environment.name}: their traits, their overrides and the flags they get.`}
        actions={createButton}
      />
      <div className="grid gap-8 xl:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <div className="space-y-4">
          <SearchField label="Search identities" value={text} onChange={setText} />
          {identities.isPending ? (
            <TableSkeleton columns={3} label="Loading identities…" />
          ) : identities.isError ? (
            <ErrorState
              title="Could not load identities"
              error={identities.error}
              onRetry={() => void identities.refetch()}
            />
          ) : identities.data.count === 0 ? (
            search ? (
              <EmptyState title="No matching identities">No identifier contains “{search}”.</EmptyState>
            ) : (
              <EmptyState title="No identities yet" action={createButton || undefined}>
                Identities appear when an application asks for its flags with an identifier, or when you
                create one here.
              </EmptyState>
            )
          ) : (
            <>
              <Table caption="Identities">
                <THead>
                  <tr>
                    <TH>Identifier</TH>
                    <TH className="w-32">Last seen</TH>
                    {canEdit && (
                      <TH className="w-20">
                        <span className="sr-only">Actions</span>
                      </TH>
                    )}
                  </tr>
                </THead>
                <TBody>
                  {identities.data.results.map((identity) => (
                    <TR
                      key={identity.id}
                      className={
                        identity.id === selectedId ? "bg-accent-50/50 dark:bg-accent-950/30" : undefined
                      }
                    >
                      <TD>
                        <button
                          type="button"
                          onClick={() => select(identity.id)}
                          aria-current={identity.id === selectedId ? "true" : undefined}
                          className={cx(
                            "rounded text-left font-medium break-all text-accent-700 hover:underline dark:text-accent-300",
                            focusRing,
                          )}
                        >
                          {identity.identifier}
                        </button>
                      </TD>
                      <TD className="text-zinc-600 dark:text-zinc-400">
                        {identity.last_seen_at ? formatRelative(identity.last_seen_at) : "never"}
                      </TD>
                      {canEdit && (
                        <TD className="text-right">
                          <Button
                            variant="ghost"
                            size="sm"
                            onClick={() => setDeleting(identity)}
                            aria-label={`Delete identity ${identity.identifier}`}
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
                count={identities.data.count}
                onPageChange={(next) => setQuery({ page: next })}
                noun="identities"
              />
            </>
          )}
        </div>
        <div>
          {selectedId === null ? (
            <p className="rounded-lg border border-dashed border-zinc-300 p-6 text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
              Choose an identity to see its traits, overrides and evaluated flags.
            </p>
          ) : (
            <IdentityDetail
              key={selectedId}
              projectId={projectId}
              environment={environment}
              identityId={selectedId}
              canEdit={canEdit}
              onGone={() => select(null)}
            />
          )}
        </div>
      </div>

      {creating && (
        <CreateIdentityDialog
          open
          onClose={() => setCreating(false)}
          projectId={projectId}
          environment={environment}
          onCreated={(identity) => select(identity.id)}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete identity ${deleting?.identifier ?? ""}?`}
        confirmLabel="Delete identity"
        onConfirm={async () => {
          if (!deleting) return;
          await deleteIdentity.mutateAsync(deleting.id);
          toast.success(`Deleted identity ${deleting.identifier}`);
          if (deleting.id === selectedId) select(null);
        }}
      >
        <p>
          Its traits and overrides in {environment.name} are deleted with it. An application that sends this
          identifier again creates a new identity.
        </p>
      </ConfirmDialog>
    </>
  );
}

function IdentityDetail({
  projectId,
  environment,
  identityId,
  canEdit,
  onGone,
}: {
  projectId: number;
  environment: Environment;
  identityId: number;
  canEdit: boolean;
  onGone: () => void;
}) {
  const identity = useIdentity(environment.api_key, identityId);
  if (identity.isPending) return <BlockSkeleton lines={4} label="Loading identity…" />;
  if (identity.isError) {
    return isApiClientError(identity.error, 404) ? (
      <EmptyState title="No such identity" action={<Button onClick={onGone}>Back to the list</Button>}>
        It may have been deleted, or it belongs to another environment.
      </EmptyState>
    ) : (
      <ErrorState
        error={identity.error}
        onRetry={() => void identity.refetch()}
        title="Could not load identity"
      />
    );
  }
  return (
    <section aria-label={`Identity ${identity.data.identifier}`} className="space-y-8">
      <div>
        <h2 className="text-lg font-semibold break-all">{identity.data.identifier}</h2>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          Created {formatRelative(identity.data.created_at)} · last seen{" "}
          {identity.data.last_seen_at ? formatRelative(identity.data.last_seen_at) : "never"}
        </p>
      </div>
      <IdentityTraits
        projectId={projectId}
        apiKey={environment.api_key}
        identityId={identityId}
        canEdit={canEdit}
      />
      <EvaluatedFlags projectId={projectId} apiKey={environment.api_key} identityId={identityId} />
      <IdentityOverrides
        projectId={projectId}
        environment={environment}
        identity={identity.data}
        canEdit={canEdit}
      />
    </section>
  );
}
