"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { OnceShownSecret } from "@/components/ui/once-shown-secret";
import { Dialog } from "@/components/ui/dialog";
import { FormDialog } from "@/components/ui/form-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Section } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { TableSkeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { Select } from "@/components/ui/select";
import { TextField } from "@/components/ui/text-field";
import { toast } from "sonner";
import { formatDate, formatDateTime, formatRelative } from "@/lib/client/format/dates";
import { fieldProps, useSchemaForm } from "@/lib/client/forms/use-schema-form";
import { useUrlQuery } from "@/lib/client/hooks/use-url-query";
import type { ApiKey, CreatedApiKey } from "@/lib/client/queries/types";
import { useApiKeys } from "@/lib/client/queries/use-api-keys";
import { useCreateApiKey } from "@/lib/client/queries/use-create-api-key";
import { useRevokeApiKey } from "@/lib/client/queries/use-revoke-api-key";
import { API_KEY_EXPIRY_DAYS, createApiKeyForm } from "@/lib/validations/core";
import type { z } from "zod";

type ApiKeyRole = ApiKey["role"];

const ROLE_LABELS: Record<ApiKeyRole, string> = {
  READ_ONLY: "Read-only",
  EDITOR: "Editor",
  ADMIN: "Admin",
};
const ROLE_OPTIONS = (Object.keys(ROLE_LABELS) as ApiKeyRole[]).map((role) => ({
  value: role,
  label: ROLE_LABELS[role],
}));
const EXPIRY_OPTIONS = [
  { value: "", label: "Never" },
  ...API_KEY_EXPIRY_DAYS.map((days) => ({
    value: days,
    label: days === "365" ? "In 1 year" : `In ${days} days`,
  })),
];

/** The form's expiry in days becomes the API's `expires_at`, counted from now. */
function createKeyRequest({ expires_in_days, ...rest }: z.output<typeof createApiKeyForm>) {
  const expiresAt = expires_in_days
    ? new Date(Date.now() + Number(expires_in_days) * 24 * 60 * 60 * 1000).toISOString()
    : null;
  return { ...rest, expires_at: expiresAt };
}

const isExpired = (key: ApiKey) => key.expires_at !== null && Date.parse(key.expires_at) <= Date.now();

function KeyStatus({ apiKey }: { apiKey: ApiKey }) {
  if (apiKey.revoked_at) return <Badge tone="danger">Revoked</Badge>;
  if (isExpired(apiKey)) return <Badge tone="warning">Expired</Badge>;
  return <Badge tone="success">Active</Badge>;
}

const PAGE_SIZE = 20;
const PAGE_PARAM = "keys_page";

/** Step 1 asks for a name; step 2 shows the new key once, with a copy button. */
function CreateApiKeyDialog({
  open,
  onClose,
  organisationId,
}: {
  open: boolean;
  onClose: () => void;
  organisationId: number;
}) {
  const createKey = useCreateApiKey(organisationId);
  const form = useSchemaForm(createApiKeyForm, { name: "", role: "READ_ONLY", expires_in_days: "90" });
  const [created, setCreated] = useState<CreatedApiKey | null>(null);

  const close = () => {
    form.reset();
    setCreated(null);
    onClose();
  };

  if (created) {
    return (
      <Dialog
        open={open}
        onClose={close}
        title={`API key ${created.name}`}
        footer={
          <Button variant="primary" onClick={close}>
            Done
          </Button>
        }
      >
        <OnceShownSecret value={created.key} what="API key" />
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Send it as <code className="font-mono">Authorization: Api-Key &lt;key&gt;</code>. Role:{" "}
          {ROLE_LABELS[created.role]}
          {created.expires_at ? `, expires ${formatDateTime(created.expires_at)}` : ", never expires"}.
        </p>
      </Dialog>
    );
  }

  return (
    <FormDialog
      form={form}
      open={open}
      onClose={close}
      title="Create API key"
      description="For scripts and CI. Give it the lowest role that does the job, and an expiry."
      submitLabel="Create key"
      onSubmit={(values) => createKey.mutateAsync(createKeyRequest(values))}
      keepOpen
      onSaved={setCreated}
    >
      <TextField
        label="Key name"
        hint="Say what uses it, e.g. “ci-deploy”."
        {...fieldProps(form, "name")}
        autoFocus
        required
      />
      <Select
        label="Role"
        hint="Read-only reads everything; Editor also changes flags, states, segments and tags; Admin can do all an organisation administrator can."
        options={ROLE_OPTIONS}
        {...fieldProps(form, "role")}
      />
      <Select label="Expires" options={EXPIRY_OPTIONS} {...fieldProps(form, "expires_in_days")} />
    </FormDialog>
  );
}

export function ApiKeys({ organisationId }: { organisationId: number }) {
  const { searchParams, setQuery } = useUrlQuery();
  const page = Math.max(1, Number(searchParams.get(PAGE_PARAM)) || 1);
  const keys = useApiKeys(organisationId, { page, page_size: PAGE_SIZE });
  const revokeKey = useRevokeApiKey(organisationId);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  const createButton = (
    <Button variant="primary" onClick={() => setCreating(true)}>
      Create API key
    </Button>
  );

  return (
    <Section
      title="API keys"
      description="Keys for the REST API (Authorization: Api-Key …)."
      actions={createButton}
    >
      {keys.isPending ? (
        <TableSkeleton columns={7} label="Loading API keys…" />
      ) : keys.isError ? (
        <ErrorState title="Could not load API keys" error={keys.error} onRetry={() => void keys.refetch()} />
      ) : keys.data.count === 0 ? (
        <EmptyState title="No API keys">Create one for scripts or CI that manage flags.</EmptyState>
      ) : (
        <>
          <Table caption="API keys">
            <THead>
              <tr>
                <TH>Name</TH>
                <TH className="w-36">Prefix</TH>
                <TH className="w-28">Role</TH>
                <TH className="w-36">Created</TH>
                <TH className="w-36">Expires</TH>
                <TH className="w-40">Last used</TH>
                <TH className="w-28">Status</TH>
                <TH className="w-28">
                  <span className="sr-only">Actions</span>
                </TH>
              </tr>
            </THead>
            <TBody>
              {keys.data.results.map((key) => (
                <TR key={key.id}>
                  <TD className="font-medium">{key.name}</TD>
                  <TD>
                    <code className="font-mono text-xs">{key.prefix}…</code>
                  </TD>
                  <TD>{ROLE_LABELS[key.role]}</TD>
                  <TD className="text-zinc-600 dark:text-zinc-400">{formatDate(key.created_at)}</TD>
                  <TD
                    className="text-zinc-600 dark:text-zinc-400"
                    title={key.expires_at ? formatDateTime(key.expires_at) : undefined}
                  >
                    {key.expires_at ? formatDate(key.expires_at) : "Never"}
                  </TD>
                  <TD
                    className="text-zinc-600 dark:text-zinc-400"
                    title={key.last_used_at ? formatDateTime(key.last_used_at) : undefined}
                  >
                    {key.last_used_at ? formatRelative(key.last_used_at) : "Never"}
                  </TD>
                  <TD>
                    <KeyStatus apiKey={key} />
                  </TD>
                  <TD className="text-right">
                    {!key.revoked_at && (
                      <Button
                        variant="ghost"
                        size="sm"
                        onClick={() => setRevoking(key)}
                        aria-label={`Revoke API key ${key.name}`}
                      >
                        Revoke
                      </Button>
                    )}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <Pager
            page={page}
            pageSize={PAGE_SIZE}
            count={keys.data.count}
            onPageChange={(next) => setQuery({ [PAGE_PARAM]: next })}
            noun="keys"
          />
        </>
      )}

      <CreateApiKeyDialog
        open={creating}
        onClose={() => setCreating(false)}
        organisationId={organisationId}
      />
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke API key ${revoking?.name ?? ""}?`}
        confirmLabel="Revoke key"
        onConfirm={async () => {
          if (!revoking) return;
          await revokeKey.mutateAsync(revoking.id);
          toast.success(`Revoked API key ${revoking.name}`);
        }}
      >
        <p>Anything using this key stops working immediately. This cannot be undone.</p>
      </ConfirmDialog>
    </Section>
  );
}
