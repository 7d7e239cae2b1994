"use client";

import { Clock, Pause, Play, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import type { FeatureTabContext } from "@/components/features/feature-tabs";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { FormDialog } from "@/components/ui/form-dialog";
import { Section } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { TextField } from "@/components/ui/text-field";
import { fieldProps, useSchemaForm } from "@/lib/client/forms/use-schema-form";
import { formatDateTime } from "@/lib/client/format/dates";
import { errorMessage } from "@/lib/client/queries/api-client";
import type { FeatureLink } from "@/lib/client/queries/gitlab-types";
import { useEnvironments } from "@/lib/client/queries/use-environments";
import {
  useReleaseRuleMutations,
  useReleaseRules,
  type ReleaseRule,
} from "@/lib/client/queries/use-release-rules";
import {
  formatDelay,
  RELEASE_DELAY_UNITS,
  releaseRuleFormBody,
  type ReleaseActionName,
  type ReleaseTriggerName,
} from "@/lib/validations/release-rules";

// The Links tab's "Release rules": per linked item, what happens to the flag when it merges or
// closes (optionally later), with pause, delete and "cancel the scheduled change". Editors add
// rules for unprotected environments, admins for any (the API decides and says why not).

const TRIGGERS: Record<ReleaseTriggerName, string> = {
  merged: "merges",
  closed: "closes",
  closed_unmerged: "is closed without merging or reverted",
};
const ACTIONS: Record<ReleaseActionName, string> = {
  enable: "enable",
  disable: "disable",
  set_value: "set value",
};

const itemName = (link: FeatureLink) => `${link.metadata.project_path}${link.metadata.reference}`;

function describe(rule: ReleaseRule, link: FeatureLink | undefined): string {
  const what = rule.action === "set_value" ? `set ${JSON.stringify(rule.value)}` : ACTIONS[rule.action];
  const later = rule.delay_seconds > 0 ? `, ${formatDelay(rule.delay_seconds)} later` : "";
  return `When ${link ? link.metadata.reference : "the item"} ${TRIGGERS[rule.trigger]} → ${what} in ${rule.environment_names.join(", ")}${later}`;
}

const STATUS_TONES = {
  waiting: "neutral",
  scheduled: "warning",
  fired: "success",
  paused: "neutral",
} as const;

/** "Add release rule" and its dialog, on useSchemaForm with the shared rule schema. */
function NewRuleDialog({
  projectId,
  featureId,
  links,
}: {
  projectId: number;
  featureId: number;
  links: FeatureLink[];
}) {
  const [open, setOpen] = useState(false);
  const environments = useEnvironments(projectId);
  const { create } = useReleaseRuleMutations(projectId, featureId);
  const first = links[0];
  const form = useSchemaForm(releaseRuleFormBody, {
    external_resource: String(first?.id ?? ""),
    trigger: first?.type === "GITLAB_MR" ? "merged" : "closed",
    action: "enable",
    value: "",
    environments: [],
    delay: "0",
    unit: "hours",
  });
  const link = links.find((row) => String(row.id) === String(form.watch("external_resource")));
  const action = form.watch("action");
  const chosen = form.watch("environments") ?? [];
  const triggers = (Object.keys(TRIGGERS) as ReleaseTriggerName[]).filter(
    (name) => name !== "merged" || link?.type === "GITLAB_MR",
  );
  const linkField = fieldProps(form, "external_resource");
  const environmentsError = form.formState.errors.environments?.message;
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)}>
        <Plus className="size-4" aria-hidden /> Add release rule
      </Button>
      <FormDialog
        form={form}
        open={open}
        onClose={() => setOpen(false)}
        title="New release rule"
        description="What happens to this flag when a linked item merges or closes, at once or later."
        size="lg"
        submitLabel="Add rule"
        onSubmit={(input) => create.mutateAsync(input)}
        savedMessage={() => "Release rule added"}
      >
        <div className="grid gap-3 sm:grid-cols-2">
          <Select
            label="When"
            options={links.map((row) => ({
              value: String(row.id),
              label: `${itemName(row)} ${row.metadata.title}`,
            }))}
            {...linkField}
            onChange={(event) => {
              void linkField.onChange(event);
              const next = links.find((row) => String(row.id) === event.target.value);
              if (next?.type !== "GITLAB_MR" && form.getValues("trigger") === "merged")
                form.setValue("trigger", "closed");
            }}
          />
          <Select
            label="Event"
            options={triggers.map((name) => ({ value: name, label: TRIGGERS[name] }))}
            {...fieldProps(form, "trigger")}
          />
          <Select
            label="Then"
            options={(Object.keys(ACTIONS) as ReleaseActionName[]).map((name) => ({
              value: name,
              label: ACTIONS[name],
            }))}
            {...fieldProps(form, "action")}
          />
          {action === "set_value" && (
            <TextField
              label="Value"
              hint="true/false, a whole number or text"
              {...fieldProps(form, "value")}
            />
          )}
          <fieldset className="space-y-1 sm:col-span-2" aria-describedby="rule-environments-error">
            <legend className="text-sm font-medium">In environments</legend>
            <div className="flex flex-wrap gap-4">
              {(environments.data?.results ?? []).map((environment) => (
                <Checkbox
                  key={environment.api_key}
                  label={`${environment.name}${environment.protected ? " (protected)" : ""}`}
                  checked={chosen.includes(environment.api_key)}
                  onChange={(event) =>
                    form.setValue(
                      "environments",
                      event.target.checked
                        ? [...chosen, environment.api_key]
                        : chosen.filter((key) => key !== environment.api_key),
                      { shouldValidate: form.formState.isSubmitted },
                    )
                  }
                />
              ))}
            </div>
            {environmentsError && (
              <p id="rule-environments-error" role="alert" className="text-sm text-red-700 dark:text-red-400">
                {environmentsError}
              </p>
            )}
          </fieldset>
          <TextField label="Delay" type="number" min={0} {...fieldProps(form, "delay")} />
          <Select
            label="Delay unit"
            options={Object.keys(RELEASE_DELAY_UNITS).map((name) => ({ value: name, label: name }))}
            {...fieldProps(form, "unit")}
          />
        </div>
      </FormDialog>
    </>
  );
}

export function ReleaseRulesSection({
  context,
  links,
}: {
  context: FeatureTabContext;
  links: FeatureLink[];
}) {
  const projectId = context.feature.project;
  const featureId = context.feature.id;
  const canEdit = context.permissions.canEdit;
  // Rules wait while the integration's release_rules_enabled is off.
  const enabled = context.gitlabIntegration?.release_rules_enabled ?? false;
  const rules = useReleaseRules(projectId, featureId);
  const mutations = useReleaseRuleMutations(projectId, featureId);
  const outcome = (done: string) => ({
    onSuccess: () => toast.success(done),
    onError: (error: unknown) => toast.error(errorMessage(error)),
  });
  if (links.length === 0) return null;
  return (
    <Section
      title="Release rules"
      description={
        enabled
          ? "Change this flag when a linked merge request merges or an issue closes, at once or later."
          : "Release rules are off for this project's GitLab integration: rules wait until an admin turns them on."
      }
    >
      <div className="space-y-6">
        {rules.isError && <p role="alert">Could not load release rules: {errorMessage(rules.error)}</p>}
        {links.map((link) => {
          const mine = (rules.data ?? []).filter((rule) => rule.external_resource === link.id);
          if (mine.length === 0) return null;
          return (
            <div key={link.id} className="space-y-2">
              <h4 className="text-sm font-medium">{itemName(link)}</h4>
              <ul className="space-y-2" aria-label={`Release rules of ${itemName(link)}`}>
                {mine.map((rule) => (
                  <li key={rule.id} className="flex flex-wrap items-center gap-2 text-sm">
                    <span>
                      #{rule.id} {describe(rule, link)}
                    </span>
                    <Badge tone={STATUS_TONES[rule.status]}>{rule.status}</Badge>
                    {rule.scheduled_change && (
                      <span className="inline-flex items-center gap-1 text-zinc-600 dark:text-zinc-400">
                        <Clock className="size-4" aria-hidden /> due{" "}
                        {formatDateTime(rule.scheduled_change.run_at)}
                      </span>
                    )}
                    {canEdit && rule.scheduled_change && (
                      <Button
                        size="sm"
                        onClick={() =>
                          mutations.cancel.mutate(
                            rule.scheduled_change!.id,
                            outcome("Scheduled change cancelled"),
                          )
                        }
                      >
                        Cancel scheduled change
                      </Button>
                    )}
                    {canEdit && (
                      <Button
                        size="sm"
                        aria-label={`${rule.paused ? "Resume" : "Pause"} rule #${rule.id}`}
                        onClick={() =>
                          mutations.setPaused.mutate(
                            { id: rule.id, paused: !rule.paused },
                            outcome(rule.paused ? "Rule resumed" : "Rule paused"),
                          )
                        }
                      >
                        {rule.paused ? (
                          <Play className="size-4" aria-hidden />
                        ) : (
                          <Pause className="size-4" aria-hidden />
                        )}
                      </Button>
                    )}
                    {canEdit && (
                      <Button
                        size="sm"
                        aria-label={`Delete rule #${rule.id}`}
                        onClick={() => mutations.remove.mutate(rule.id, outcome("Rule deleted"))}
                      >
                        <Trash2 className="size-4" aria-hidden />
                      </Button>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
        {canEdit && <NewRuleDialog projectId={projectId} featureId={featureId} links={links} />}
      </div>
    </Section>
  );
}
