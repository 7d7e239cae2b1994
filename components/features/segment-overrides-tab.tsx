"use client";

import { useState } from "react";
import { useProtectedChange } from "@/components/environments/protected-change";
import { AddSegmentOverrideDialog } from "@/components/features/add-segment-override-dialog";
import type { FeatureTabContext } from "@/components/features/feature-tabs";
import { InlineValueEditor } from "@/components/features/inline-value-editor";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Section } from "@/components/ui/page-header";
import { TableSkeleton } from "@/components/ui/skeleton";
import { Switch } from "@/components/ui/switch";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { toast } from "sonner";
import { kindOf } from "@/lib/client/format/flag-value";
import { errorMessage } from "@/lib/client/queries/api-client";
import type { FlagValue, SegmentOverride } from "@/lib/client/queries/types";
import { useDeleteSegmentOverride } from "@/lib/client/queries/use-delete-segment-override";
import { useSegmentOverrides } from "@/lib/client/queries/use-segment-overrides";
import { useUpdateSegmentOverride } from "@/lib/client/queries/use-update-segment-override";

export function SegmentOverridesTab({ context }: { context: FeatureTabContext }) {
  const { feature, environment, permissions } = context;
  const overrides = useSegmentOverrides(feature.project, feature.id, environment.id);
  const updateOverride = useUpdateSegmentOverride(feature.project, feature.id, {
    onSuccess: (_override, input) => toast.success(`Updated the ${input.segmentName} override`),
    onError: (error, input) =>
      toast.error(`Could not update the ${input.segmentName} override: ${errorMessage(error)}`),
  });
  const deleteOverride = useDeleteSegmentOverride(feature.project, feature.id);
  const guard = useProtectedChange(environment);
  const changeOverride = async (
    override: SegmentOverride,
    change: { enabled: boolean } | { feature_state_value: FlagValue },
  ) => {
    const confirmed = await guard.confirm({
      title:
        "enabled" in change
          ? `Turn ${feature.name} ${change.enabled ? "on" : "off"} for segment ${override.segment.name} in ${environment.name}?`
          : `Change the value of ${feature.name} for segment ${override.segment.name} in ${environment.name}?`,
      confirmLabel: "enabled" in change ? `Turn ${change.enabled ? "on" : "off"}` : "Change value",
      consequence: (
        <>
          members of <strong>{override.segment.name}</strong> get the new{" "}
          <strong className="font-mono">{feature.name}</strong> as soon as you confirm.
        </>
      ),
    });
    if (confirmed)
      updateOverride.mutate({ overrideId: override.id, segmentName: override.segment.name, ...change });
  };
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState<SegmentOverride | null>(null);
  const canEdit = permissions.canEdit;

  const addButton = canEdit && (
    <Button variant="primary" size="sm" onClick={() => setAdding(true)}>
      Add segment override
    </Button>
  );

  return (
    <Section
      title={`Segment overrides in ${environment.name}`}
      description="Checked in priority order (lowest number first); the first segment a user belongs to decides."
      actions={overrides.data?.length ? addButton : undefined}
    >
      {overrides.isPending ? (
        <TableSkeleton rows={3} columns={4} label="Loading segment overrides…" />
      ) : overrides.isError ? (
        <ErrorState
          title="Could not load segment overrides"
          error={overrides.error}
          onRetry={() => void overrides.refetch()}
        />
      ) : overrides.data.length === 0 ? (
        <EmptyState title={`No segment overrides in ${environment.name}`} action={addButton || undefined}>
          Everyone gets the environment&apos;s state. Add an override to give a segment (beta testers,
          internal staff…) a different one.
        </EmptyState>
      ) : (
        <Table caption={`Segment overrides of ${feature.name} in ${environment.name}`}>
          <THead>
            <tr>
              <TH className="w-24">Priority</TH>
              <TH>Segment</TH>
              <TH className="w-32">Enabled</TH>
              <TH>Value</TH>
              {canEdit && (
                <TH className="w-28">
                  <span className="sr-only">Actions</span>
                </TH>
              )}
            </tr>
          </THead>
          <TBody>
            {overrides.data.map((override) => (
              <TR key={override.id}>
                <TD className="tabular-nums">{override.priority}</TD>
                <TD className="font-medium">{override.segment.name}</TD>
                <TD>
                  <Switch
                    checked={override.enabled}
                    label={`Toggle ${feature.name} for segment ${override.segment.name}`}
                    disabled={!canEdit}
                    onCheckedChange={(enabled) => void changeOverride(override, { enabled })}
                  />
                </TD>
                <TD>
                  <InlineValueEditor
                    value={override.feature_state_value}
                    subject={`${feature.name} for segment ${override.segment.name}`}
                    fallbackKind={kindOf(feature.initial_value)}
                    disabled={!canEdit}
                    onSave={(value) => void changeOverride(override, { feature_state_value: value })}
                  />
                </TD>
                {canEdit && (
                  <TD className="text-right">
                    <Button
                      variant="ghost"
                      size="sm"
                      onClick={() => setDeleting(override)}
                      aria-label={`Delete the override for ${override.segment.name}`}
                    >
                      Delete
                    </Button>
                  </TD>
                )}
              </TR>
            ))}
          </TBody>
        </Table>
      )}

      {canEdit && (
        <AddSegmentOverrideDialog
          open={adding}
          onClose={() => setAdding(false)}
          feature={feature}
          environment={environment}
          takenSegmentIds={(overrides.data ?? []).map((override) => override.segment.id)}
        />
      )}
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete the ${deleting?.segment.name ?? ""} override?`}
        confirmLabel="Delete override"
        onConfirm={async () => {
          if (!deleting) return;
          await deleteOverride.mutateAsync(deleting.id);
          toast.success(`Deleted the ${deleting.segment.name} override`);
        }}
      >
        <p>
          Users in <strong>{deleting?.segment.name}</strong> will get {feature.name}&apos;s {environment.name}{" "}
          state again.
        </p>
      </ConfirmDialog>
      {guard.dialog}
    </Section>
  );
}
