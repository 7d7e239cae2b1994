"use client";

import { toast } from "sonner";
import { InlineValueEditor } from "@/components/features/inline-value-editor";
import { FlagValueText } from "@/components/features/flag-value";
import { useProtectedChange } from "@/components/environments/protected-change";
import { Switch } from "@/components/ui/switch";
import { describeFlagValue, kindOf } from "@/lib/client/format/flag-value";
import { errorMessage } from "@/lib/client/queries/api-client";
import type { FeatureStateTarget } from "@/lib/client/queries/feature-state-cache";
import type { Environment, EnvironmentState, Feature, FlagValue } from "@/lib/client/queries/types";
import { useToggleFeatureState } from "@/lib/client/queries/use-toggle-feature-state";
import { useUpdateFeatureStateValue } from "@/lib/client/queries/use-update-feature-state-value";

// The two per-environment controls of a feature (on/off and value), used by the feature list,
// the feature's Value tab and its every-environment table alike. In a protected environment a
// toggle or value change asks first, naming the flag and the environment; each offers "Undo".

/** How long a change's "Undo" stays on offer. */
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

/** A value change, with what it replaced so "Undo" can put it back. */
type ValueChange = FeatureStateTarget & { value: FlagValue; previous: FlagValue; isUndo?: boolean };

/**
 * Saves a feature's value in one environment: asks first in a protected one, and offers "Undo" for
 * a few seconds after (an undo puts back what was there a moment ago, so it asks nothing).
 */
export function useFeatureValueChange(environment: Pick<Environment, "name"> & { protected?: boolean }) {
  const guard = useProtectedChange(environment);
  const update = useUpdateFeatureStateValue<ValueChange>({
    onSuccess: (_state, change) =>
      toast.success(
        change.isUndo
          ? `Undone: ${change.featureName} in ${change.environmentName} is ${describeFlagValue(change.value)} again`
          : `${change.featureName} in ${change.environmentName} is now ${describeFlagValue(change.value)}`,
        change.isUndo
          ? {}
          : {
              duration: UNDO_MS,
              action: {
                label: "Undo",
                onClick: () =>
                  update.mutate({ ...change, value: change.previous, previous: change.value, isUndo: true }),
              },
            },
      ),
    onError: (error, change) =>
      toast.error(
        `Could not change the value of ${change.featureName} in ${change.environmentName}: ${errorMessage(error)}`,
      ),
  });

  const change = async (target: FeatureStateTarget, previous: FlagValue, value: FlagValue) => {
    const confirmed = await guard.confirm({
      title: `Change the value of ${target.featureName} in ${target.environmentName}?`,
      confirmLabel: "Change value",
      consequence: (
        <>
          applications reading it get <strong className="font-mono">{target.featureName}</strong> ={" "}
          <span className="font-mono">{describeFlagValue(value)}</span> (was{" "}
          <span className="font-mono">{describeFlagValue(previous)}</span>) as soon as you confirm.
        </>
      ),
    });
    if (confirmed) update.mutate({ ...target, value, previous });
  };

  return { change, dialog: guard.dialog, isPending: update.isPending };
}

export function FeatureStateSwitch(props: StateControlProps & { showLabel?: boolean }) {
  const toggle = useToggleFeatureState();
  const guard = useProtectedChange(props.environment);
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

  const switchTo = async (enabled: boolean) => {
    const confirmed = await guard.confirm({
      title: `Turn ${feature.name} ${turned(enabled)} in ${environment.name}?`,
      confirmLabel: `Turn ${turned(enabled)}`,
      consequence: (
        <>
          applications reading it see <strong className="font-mono">{feature.name}</strong> {turned(enabled)}{" "}
          as soon as you confirm.
        </>
      ),
    });
    if (confirmed) run(enabled);
  };

  return (
    <>
      <Switch
        checked={state.enabled}
        label={`Toggle ${feature.name} in ${environment.name}`}
        showLabel={showLabel}
        disabled={!canEdit}
        onCheckedChange={(enabled) => void switchTo(enabled)}
      />
      {guard.dialog}
    </>
  );
}

export function FeatureStateValue(props: StateControlProps) {
  const valueChange = useFeatureValueChange(props.environment);
  const { state, feature, environment, canEdit } = props;
  if (!state) return <FlagValueText value={null} />;
  return (
    <>
      <InlineValueEditor
        value={state.feature_state_value}
        subject={`${feature.name} in ${environment.name}`}
        fallbackKind={kindOf(feature.initial_value)}
        disabled={!canEdit}
        onSave={(value) =>
          void valueChange.change(target({ ...props, state }), state.feature_state_value, value)
        }
      />
      {valueChange.dialog}
    </>
  );
}
