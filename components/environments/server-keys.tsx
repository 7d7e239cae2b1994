"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { OnceShownSecret } from "@/components/ui/once-shown-secret";
import { Dialog } from "@/components/ui/dialog";
import { ErrorState } from "@/components/ui/error-state";
import { FormDialog } from "@/components/ui/form-dialog";
import { TableSkeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { TextField } from "@/components/ui/text-field";
import { formatDateTime } from "@/lib/client/format/dates";
import { fieldProps, useSchemaForm } from "@/lib/client/forms/use-schema-form";
import type { CreatedServerKey, ServerKey } from "@/lib/client/queries/types";
import { useCreateServerKey, useRevokeServerKey, useServerKeys } from "@/lib/client/queries/use-server-keys";
import { createServerKeyBody } from "@/lib/validations/evaluation";

// An environment's server-side SDK keys (`ser.…`): they also read the environment document for
// local evaluation, so they belong on servers only. Project admins create (shown once) and revoke.
export function ServerKeys({ environment }: { environment: { name: string; api_key: string } }) {
  const keys = useServerKeys(environment.api_key);
  const revoke = useRevokeServerKey(environment.api_key);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ServerKey | null>(null);

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">Server-side keys for {environment.name}</h3>
        <Button size="sm" onClick={() => setCreating(true)}>
          Create server-side key
        </Button>
      </div>
      {keys.isPending ? (
        <TableSkeleton columns={4} label="Loading server-side keys…" />
      ) : keys.isError ? (
        <ErrorState
          title="Could not load server-side keys"
          error={keys.error}
          onRetry={() => void keys.refetch()}
        />
      ) : keys.data.results.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          No server-side keys yet. Create one for an SDK that evaluates flags locally.
        </p>
      ) : (
        <Table caption={`Server-side keys of ${environment.name}`}>
          <THead>
            <TR>
              <TH>Name</TH>
              <TH>Key</TH>
              <TH>Last used</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {keys.data.results.map((key) => (
              <TR key={key.id}>
                <TD className="font-medium">{key.name}</TD>
                <TD>
                  <code className="font-mono text-xs">{key.prefix}…</code>
                  {!key.active && <span className="ml-2 text-xs text-zinc-500">revoked</span>}
                </TD>
                <TD className="text-zinc-600 dark:text-zinc-400">
                  {key.last_used_at ? formatDateTime(key.last_used_at) : "Never"}
                </TD>
                <TD className="text-right">
                  {key.active && (
                    <Button
                      variant="ghost"
                      size="sm"
                      onClick={() => setRevoking(key)}
                      aria-label={`Revoke ${key.name}`}
                    >
                      Revoke
                    </Button>
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      {creating && (
        <CreateServerKeyDialog open environment={environment} onClose={() => setCreating(false)} />
      )}
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke ${revoking?.name ?? ""}?`}
        confirmLabel="Revoke key"
        onConfirm={async () => {
          if (!revoking) return;
          await revoke.mutateAsync(revoking.id);
          toast.success(`Revoked ${revoking.name}`);
        }}
      >
        <p>SDKs using this key get 401 from now on, on every Flagpost instance.</p>
      </ConfirmDialog>
    </div>
  );
}

function CreateServerKeyDialog({
  open,
  onClose,
  environment,
}: {
  open: boolean;
  onClose: () => void;
  environment: { name: string; api_key: string };
}) {
  const create = useCreateServerKey(environment.api_key);
  const form = useSchemaForm(createServerKeyBody, { name: "" });
  const [created, setCreated] = useState<CreatedServerKey | null>(null);

  if (created) {
    return (
      <Dialog
        open={open}
        onClose={onClose}
        title={`Server-side key ${created.name}`}
        footer={
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        }
      >
        <OnceShownSecret value={created.key} what="Server-side key" />
      </Dialog>
    );
  }

  return (
    <FormDialog
      form={form}
      open={open}
      onClose={onClose}
      size="sm"
      title={`Create a server-side key for ${environment.name}`}
      description="For server SDKs that evaluate flags locally (they read the environment document)."
      submitLabel="Create key"
      onSubmit={(values) => create.mutateAsync(values)}
      keepOpen
      onSaved={setCreated}
    >
      <TextField label="Key name" {...fieldProps(form, "name")} autoFocus required />
    </FormDialog>
  );
}
