"use client";

import { Pencil, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { FlagValueText } from "@/components/features/flag-value";
import { IdentityOverrideDialog } from "@/components/identities/identity-override-dialog";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorState } from "@/components/ui/error-state";
import { Section } from "@/components/ui/page-header";
import { TableSkeleton } from "@/components/ui/skeleton";
import { Switch } from "@/components/ui/switch";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatRelative } from "@/lib/client/format/dates";
import { errorMessage } from "@/lib/client/queries/api-client";
import type { Environment, Identity, IdentityOverride } from "@/lib/client/queries/types";
import {
  useDeleteIdentityOverride,
  useIdentityOverrides,
  useUpdateIdentityOverride,
} from "@/lib/client/queries/use-identity-overrides";

export function IdentityOverrides({
  projectId,
  environment,
  identity,
  canEdit,
}: {
  projectId: number;
  environment: Environment;
  identity: Identity;
  canEdit: boolean;
}) {
  const overrides = useIdentityOverrides(environment.api_key, identity.id);
  const update = useUpdateIdentityOverride(projectId, environment.api_key, identity.id);
  const remove = useDeleteIdentityOverride(projectId, environment.api_key, identity.id);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<IdentityOverride | null>(null);
  const [removing, setRemoving] = useState<IdentityOverride | null>(null);
  const rows = overrides.data ?? [];

  return (
    <Section
      title="Identity overrides"
      description="This identity's own state of a feature; it beats every segment override."
      actions={
        canEdit && (
          <Button size="sm" onClick={() => setAdding(true)}>
            <Plus aria-hidden className="size-4" />
            Add identity override
          </Button>
        )
      }
    >
      {overrides.isPending ? (
        <TableSkeleton rows={2} columns={4} label="Loading overrides…" />
      ) : overrides.isError ? (
        <ErrorState
          error={overrides.error}
          onRetry={() => void overrides.refetch()}
          title="Could not load overrides"
        />
      ) : rows.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          No overrides: segments and defaults decide.
        </p>
      ) : (
        <Table caption="Identity overrides">
          <THead>
            <tr>
              <TH>Feature</TH>
              <TH className="w-24">Enabled</TH>
              <TH>Value</TH>
              <TH className="w-36">Updated</TH>
              {canEdit && (
                <TH className="w-28">
                  <span className="sr-only">Actions</span>
                </TH>
              )}
            </tr>
          </THead>
          <TBody>
            {rows.map((override) => (
              <TR key={override.id}>
                <TD className="font-medium">{override.feature.name}</TD>
                <TD>
                  <Switch
                    size="sm"
                    checked={override.enabled}
                    disabled={!canEdit || update.isPending}
                    label={`Toggle ${override.feature.name} for ${identity.identifier}`}
                    onCheckedChange={(enabled) =>
                      update.mutate(
                        { overrideId: override.id, enabled },
                        {
                          onSuccess: () =>
                            toast.success(
                              `${override.feature.name} turned ${enabled ? "on" : "off"} for ${identity.identifier}`,
                            ),
                          onError: (error) => toast.error(errorMessage(error)),
                        },
                      )
                    }
                  />
                </TD>
                <TD>
                  <FlagValueText value={override.feature_state_value} />
                </TD>
                <TD className="text-zinc-600 dark:text-zinc-400">{formatRelative(override.updated_at)}</TD>
                {canEdit && (
                  <TD className="text-right whitespace-nowrap">
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={`Edit override of ${override.feature.name}`}
                      onClick={() => setEditing(override)}
                    >
                      <Pencil aria-hidden className="size-4" />
                    </Button>
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={`Remove override of ${override.feature.name}`}
                      onClick={() => setRemoving(override)}
                    >
                      <Trash2 aria-hidden className="size-4" />
                    </Button>
                  </TD>
                )}
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      {adding && (
        <IdentityOverrideDialog
          open
          onClose={() => setAdding(false)}
          projectId={projectId}
          environment={environment}
          identity={identity}
          takenFeatureIds={rows.map((row) => row.feature.id)}
        />
      )}
      {editing && (
        <IdentityOverrideDialog
          key={editing.id}
          open
          onClose={() => setEditing(null)}
          projectId={projectId}
          environment={environment}
          identity={identity}
          override={editing}
          takenFeatureIds={[]}
        />
      )}
      <ConfirmDialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={`Remove the override of ${removing?.feature.name ?? ""}?`}
        confirmLabel="Remove override"
        onConfirm={async () => {
          if (!removing) return;
          await remove.mutateAsync(removing.id);
          toast.success(`Removed the override of ${removing.feature.name} for ${identity.identifier}`);
        }}
      >
        <p>
          {identity.identifier} then gets {removing?.feature.name} from its segments or the environment&apos;s
          default.
        </p>
      </ConfirmDialog>
    </Section>
  );
}
