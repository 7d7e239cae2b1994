"use client";

import { toast } from "sonner";
import { InlineValueEditor } from "@/components/features/inline-value-editor";
import { FlagValueText } from "@/components/features/flag-value";
import { Switch } from "@/components/ui/switch";
import { describeFlagValue, kindOf } from "@/lib/client/format/flag-value";
import { errorMessage } from "@/lib/client/queries/api-client";
import type { FeatureStateTarget } from "@/lib/client/queries/feature-state-cache";
import type { MutationOutcome } from "@/lib/client/queries/mutation-outcome";
import type { Environment, EnvironmentState, Feature, FlagValue } from "@/lib/client/queries/types";
import { useToggleFeatureState } from "@/lib/client/queries/use-toggle-feature-state";
import { useUpdateFeatureStateValue } from "@/lib/client/queries/use-update-feature-state-value";

// The two per-environment controls of a feature (on/off and value), used by the feature list,
// the feature's Value tab and its every-environment table alike.

interface StateControlProps {
  projectId: number;
  feature: Pick<Feature, "name" | "initial_value">;
  environment: Pick<Environment, "name" | "api_key">;
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

const toggleToasts: MutationOutcome<unknown, FeatureStateTarget & { enabled: boolean }> = {
  onSuccess: (_state, target) =>
    toast.success(
      `${target.featureName} turned ${target.enabled ? "on" : "off"} in ${target.environmentName}`,
    ),
  onError: (error, target) =>
    toast.error(
      `Could not turn ${target.featureName} ${target.enabled ? "on" : "off"} in ${target.environmentName}: ${errorMessage(error)}`,
    ),
};

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
  const toggle = useToggleFeatureState(toggleToasts);
  const { state, feature, environment, canEdit, showLabel } = props;
  if (!state) return <span className="text-zinc-400">—</span>;
  return (
    <Switch
      checked={state.enabled}
      label={`Toggle ${feature.name} in ${environment.name}`}
      showLabel={showLabel}
      disabled={!canEdit}
      onCheckedChange={(enabled) => toggle.mutate({ ...target({ ...props, state }), enabled })}
    />
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
