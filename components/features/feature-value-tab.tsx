"use client";

import Link from "next/link";
import {
  FeatureStateSwitch,
  FeatureStateValue,
  useFeatureValueChange,
} from "@/components/features/feature-state-controls";
import { FeatureVariants } from "@/components/features/feature-variants";
import { FlagValueText } from "@/components/features/flag-value";
import { ValueEditor } from "@/components/features/value-editor";
import { Badge } from "@/components/ui/badge";
import { Button, focusRing } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { ErrorState } from "@/components/ui/error-state";
import { Section } from "@/components/ui/page-header";
import { BlockSkeleton, TableSkeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatRelative } from "@/lib/client/format/dates";
import { useValueDraft } from "@/lib/client/hooks/use-value-draft";
import type { FeatureTabContext } from "@/components/features/feature-tabs";
import type { FeatureState } from "@/lib/client/queries/types";
import { useEnvironments } from "@/lib/client/queries/use-environments";
import { useFeatureState, useFeatureStatesAcrossEnvironments } from "@/lib/client/queries/use-feature-state";
import { routes } from "@/lib/client/routes";

/** The full (typed) value editor for this environment; keyed by the saved value so it resets after saves. */
function ValueForm({ context, state }: { context: FeatureTabContext; state: FeatureState }) {
  const { feature, environment, permissions } = context;
  const draft = useValueDraft(state.feature_state_value);
  const valueChange = useFeatureValueChange(environment);
  const parsed = draft.parse();
  const unchanged = parsed.ok && parsed.value === state.feature_state_value;
  return (
    <>
      {valueChange.dialog}
      <form
        noValidate
        className="space-y-3"
        onSubmit={(event) => {
          event.preventDefault();
          if (!parsed.ok) return;
          void valueChange.change(
            {
              projectId: context.projectId,
              apiKey: environment.api_key,
              stateId: state.id,
              featureName: feature.name,
              environmentName: environment.name,
            },
            state.feature_state_value,
            parsed.value,
          );
        }}
      >
        <ValueEditor
          draft={draft}
          label={`${environment.name} value`}
          error={parsed.ok ? undefined : parsed.error}
          disabled={!permissions.canEdit}
        />
        {permissions.canEdit && (
          <Button
            type="submit"
            variant="primary"
            size="sm"
            disabled={unchanged || !parsed.ok}
            pending={valueChange.isPending}
          >
            Save value
          </Button>
        )}
      </form>
    </>
  );
}

function CurrentEnvironmentCard({ context }: { context: FeatureTabContext }) {
  const { projectId, feature, environment, permissions } = context;
  const state = useFeatureState(environment.api_key, feature.id);
  return (
    <Section
      title={`In ${environment.name}`}
      description="What applications using this environment's key receive (unless a segment override applies)."
    >
      <div className="rounded-lg border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        {state.isPending ? (
          <BlockSkeleton lines={2} />
        ) : state.isError ? (
          <ErrorState
            error={state.error}
            onRetry={() => void state.refetch()}
            title="Could not load the state"
          />
        ) : !state.data ? (
          <p className="text-sm text-zinc-600">This feature has no state in {environment.name}.</p>
        ) : (
          <div className="space-y-5">
            <div className="flex items-center gap-3">
              <FeatureStateSwitch
                projectId={projectId}
                feature={feature}
                environment={environment}
                state={state.data}
                canEdit={permissions.canEdit}
              />
              <span className="text-sm font-medium">{state.data.enabled ? "Enabled" : "Disabled"}</span>
              <span className="text-xs text-zinc-500 dark:text-zinc-400">
                updated {formatRelative(state.data.updated_at)}
              </span>
            </div>
            <ValueForm
              key={`${state.data.id}:${JSON.stringify(state.data.feature_state_value)}`}
              context={context}
              state={state.data}
            />
          </div>
        )}
      </div>
    </Section>
  );
}

function AllEnvironmentsTable({ context }: { context: FeatureTabContext }) {
  const { projectId, feature, environment: current, permissions } = context;
  const environments = useEnvironments(projectId);
  const rows = environments.data?.results ?? [];
  const states = useFeatureStatesAcrossEnvironments(rows, feature.id);

  return (
    <Section
      title="Every environment"
      description="The same feature across the project. Changes here apply to that environment only."
    >
      {environments.isPending ? (
        <TableSkeleton rows={3} columns={4} />
      ) : environments.isError ? (
        <ErrorState
          error={environments.error}
          onRetry={() => void environments.refetch()}
          title="Could not load environments"
        />
      ) : (
        <Table caption={`${feature.name} in every environment`}>
          <THead>
            <tr>
              <TH>Environment</TH>
              <TH className="w-32">Enabled</TH>
              <TH>Value</TH>
              <TH className="w-40">Updated</TH>
            </tr>
          </THead>
          <TBody>
            {rows.map((environment, index) => {
              const query = states[index];
              const state = query?.data;
              return (
                <TR
                  key={environment.id}
                  className={
                    environment.id === current.id ? "bg-accent-50/50 dark:bg-accent-950/30" : undefined
                  }
                >
                  <TD>
                    <Link
                      href={routes.feature(projectId, environment.api_key, feature.id)}
                      aria-current={environment.id === current.id ? "page" : undefined}
                      className={cx(
                        "rounded font-medium text-accent-700 hover:underline dark:text-accent-300",
                        focusRing,
                      )}
                    >
                      {environment.name}
                    </Link>
                  </TD>
                  {environment.id === current.id ? (
                    // Edited in the card above; repeating the controls would give two switches the same name.
                    <>
                      <TD>
                        {state ? (
                          <Badge tone={state.enabled ? "success" : "neutral"}>
                            {state.enabled ? "On" : "Off"}
                          </Badge>
                        ) : (
                          "—"
                        )}
                      </TD>
                      <TD>
                        <FlagValueText value={state?.feature_state_value ?? null} />
                      </TD>
                      <TD className="text-zinc-600 dark:text-zinc-400">
                        {state ? formatRelative(state.updated_at) : "—"}
                      </TD>
                    </>
                  ) : query?.isError ? (
                    <TD colSpan={3}>
                      <ErrorState
                        error={query.error}
                        onRetry={() => void query.refetch()}
                        title="Could not load"
                      />
                    </TD>
                  ) : (
                    <>
                      <TD>
                        {query?.isPending ? (
                          <span className="text-zinc-400">…</span>
                        ) : (
                          <FeatureStateSwitch
                            projectId={projectId}
                            feature={feature}
                            environment={environment}
                            state={state}
                            canEdit={permissions.canEdit}
                          />
                        )}
                      </TD>
                      <TD>
                        {query?.isPending ? (
                          <span className="text-zinc-400">…</span>
                        ) : (
                          <FeatureStateValue
                            projectId={projectId}
                            feature={feature}
                            environment={environment}
                            state={state}
                            canEdit={permissions.canEdit}
                          />
                        )}
                      </TD>
                      <TD className="text-zinc-600 dark:text-zinc-400">
                        {state ? formatRelative(state.updated_at) : "—"}
                      </TD>
                    </>
                  )}
                </TR>
              );
            })}
          </TBody>
        </Table>
      )}
    </Section>
  );
}

export function FeatureValueTab({ context }: { context: FeatureTabContext }) {
  return (
    <div className="space-y-10">
      <CurrentEnvironmentCard context={context} />
      <FeatureVariants context={context} />
      <AllEnvironmentsTable context={context} />
    </div>
  );
}
