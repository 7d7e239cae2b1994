"use client";

import { InlineValueEditor } from "@/components/features/inline-value-editor";
import { FlagValueText } from "@/components/features/flag-value";
import { Switch } from "@/components/ui/switch";
import { kindOf } from "@/lib/client/format/flag-value";
import type { FeatureStateTarget } from "@/lib/client/queries/feature-state-cache";
import type { Environment, EnvironmentState, Feature } from "@/lib/client/queries/types";
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

function target({ projectId, feature, environment, state }: StateControlProps & { state: { id: number } }): FeatureStateTarget {
  return { projectId, apiKey: environment.api_key, stateId: state.id, featureName: feature.name, environmentName: environment.name };
}

export function FeatureStateSwitch(props: StateControlProps & { showLabel?: boolean }) {
  const toggle = useToggleFeatureState();
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
  const update = useUpdateFeatureStateValue();
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
