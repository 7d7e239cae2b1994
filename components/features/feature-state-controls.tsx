"use client";

import { useState } from "react";
import { toast } from "sonner";
import { InlineValueEditor } from "@/components/features/inline-value-editor";
import { FlagValueText } from "@/components/features/flag-value";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Switch } from "@/components/ui/switch";
import { describeFlagValue, kindOf } from "@/lib/client/format/flag-value";
import { errorMessage } from "@/lib/client/queries/api-client";
import type { FeatureStateTarget } from "@/lib/client/queries/feature-state-cache";
import type { MutationOutcome } from "@/lib/client/queries/mutation-outcome";
import type { Environment, EnvironmentState, Feature, FlagValue } from "@/lib/client/queries/types";
import { useToggleFeatureState } from "@/lib/client/queries/use-toggle-feature-state";
import { useUpdateFeatureStateValue } from "@/lib/client/queries/use-update-feature-state-value";

// The two per-environment controls of a feature (on/off and value), used by the feature list,
// the feature's Value tab and its every-environment table alike. In a protected environment a
// toggle asks first, naming the flag and the environment; every toggle's toast offers "Undo".

/** How long a toggle's "Undo" stays on offer. */
const UNDO_MS = 8000;

interface StateControlProps {
  projectId: number;
  feature: Pick<Feature, "name" | "initial_value">;
  environment: Pick<Environment, "name" | "api_key"> & { protected?: boolean };
  state: Pick<EnvironmentState, "id" | "enabled" | "feature_state_value"> | null | undefined;
  canEdit: boolean;
}

function target({
  projectId,
  feature,
  environment,
  state,
}: StateControlProps & { state: { id: number } }): FeatureStateTarget {
  return {
    projectId,
    apiKey: environment.api_key,
    stateId: state.id,
    featureName: feature.name,
    environmentName: environment.name,
  };
}

const turned = (enabled: boolean) => (enabled ? "on" : "off");

export const valueChangeToasts: MutationOutcome<unknown, FeatureStateTarget & { value: FlagValue }> = {
  onSuccess: (_state, target) =>
    toast.success(
      `${target.featureName} in ${target.environmentName} is now ${describeFlagValue(target.value)}`,
    ),
  onError: (error, target) =>
    toast.error(
      `Could not change the value of ${target.featureName} in ${target.environmentName}: ${errorMessage(error)}`,
    ),
};

export function FeatureStateSwitch(props: StateControlProps & { showLabel?: boolean }) {
  const toggle = useToggleFeatureState();
  const [confirming, setConfirming] = useState<boolean | null>(null);
  const { state, feature, environment, canEdit, showLabel } = props;
  if (!state) return <span className="text-zinc-400">—</span>;
  const stateTarget = target({ ...props, state });

  const run = (enabled: boolean, isUndo = false) =>
    toggle.mutate(
      { ...stateTarget, enabled },
      {
        onSuccess: () =>
          toast.success(
            isUndo
              ? `Undone: ${feature.name} is ${turned(enabled)} again in ${environment.name}`
              : `${feature.name} turned ${turned(enabled)} in ${environment.name}`,
            // Undo needs no second confirmation: it puts back what was there a moment ago.
            isUndo
              ? {}
              : { duration: UNDO_MS, action: { label: "Undo", onClick: () => run(!enabled, true) } },
          ),
        onError: (error) =>
          toast.error(
            `Could not turn ${feature.name} ${turned(enabled)} in ${environment.name}: ${errorMessage(error)}`,
          ),
      },
    );

  return (
    <>
      <Switch
        checked={state.enabled}
        label={`Toggle ${feature.name} in ${environment.name}`}
        showLabel={showLabel}
        disabled={!canEdit}
        onCheckedChange={(enabled) => (environment.protected ? setConfirming(enabled) : run(enabled))}
      />
      {environment.protected && (
        <ConfirmDialog
          open={confirming !== null}
          onClose={() => setConfirming(null)}
          tone="primary"
          title={`Turn ${feature.name} ${turned(confirming ?? true)} in ${environment.name}?`}
          confirmLabel={`Turn ${turned(confirming ?? true)}`}
          onConfirm={async () => {
            if (confirming !== null) run(confirming);
          }}
        >
          <p>
            <strong>{environment.name}</strong> is a protected environment: applications reading it see{" "}
            <strong className="font-mono">{feature.name}</strong> {turned(confirming ?? true)} as soon as you
            confirm.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

export function FeatureStateValue(props: StateControlProps) {
  const update = useUpdateFeatureStateValue(valueChangeToasts);
  const { state, feature, environment, canEdit } = props;
  if (!state) return <FlagValueText value={null} />;
  return (
    <InlineValueEditor
      value={state.feature_state_value}
      subject={`${feature.name} in ${environment.name}`}
      fallbackKind={kindOf(feature.initial_value)}
      disabled={!canEdit}
      onSave={(value) => update.mutate({ ...target({ ...props, state }), value })}
    />
  );
}
