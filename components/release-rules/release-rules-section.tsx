"use client";

import { Clock, Pause, Play, Trash2 } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import type { FeatureTabContext } from "@/components/features/feature-tabs";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Section } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { TextField } from "@/components/ui/text-field";
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
const UNITS = { minutes: 60, hours: 3_600, days: 86_400 } as const;

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

function parseValue(text: string): string | number | boolean {
  if (/^(true|false)$/.test(text)) return text === "true";
  if (/^-?\d{1,9}$/.test(text)) return Number(text);
  return text;
}

function NewRuleForm({
  projectId,
  links,
  onCreate,
  pending,
}: {
  projectId: number;
  links: FeatureLink[];
  onCreate: (input: Parameters<ReturnType<typeof useReleaseRuleMutations>["create"]["mutate"]>[0]) => void;
  pending: boolean;
}) {
  const environments = useEnvironments(projectId);
  const [linkId, setLinkId] = useState(links[0]?.id ?? 0);
  const link = links.find((row) => row.id === linkId);
  const [trigger, setTrigger] = useState<ReleaseTriggerName>(
    link?.type === "GITLAB_MR" ? "merged" : "closed",
  );
  const [action, setAction] = useState<ReleaseActionName>("enable");
  const [value, setValue] = useState("");
  const [chosen, setChosen] = useState<string[]>([]);
  const [delay, setDelay] = useState("0");
  const [unit, setUnit] = useState<keyof typeof UNITS>("hours");
  const triggers = (Object.keys(TRIGGERS) as ReleaseTriggerName[]).filter(
    (name) => name !== "merged" || link?.type === "GITLAB_MR",
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onCreate({
      external_resource: linkId,
      trigger,
      action,
      ...(action === "set_value" ? { value: parseValue(value) } : {}),
      environments: chosen,
      delay_seconds: Math.round(Number(delay || 0) * UNITS[unit]),
    });
  };
  return (
    <form onSubmit={submit} aria-label="New release rule" className="grid max-w-3xl gap-3 sm:grid-cols-2">
      <Select
        label="When"
        value={String(linkId)}
        options={links.map((row) => ({
          value: String(row.id),
          label: `${itemName(row)} ${row.metadata.title}`,
        }))}
        onChange={(event) => {
          const next = links.find((row) => row.id === Number(event.target.value));
          setLinkId(Number(event.target.value));
          if (next?.type !== "GITLAB_MR" && trigger === "merged") setTrigger("closed");
        }}
      />
      <Select
        label="Event"
        value={trigger}
        options={triggers.map((name) => ({ value: name, label: TRIGGERS[name] }))}
        onChange={(event) => setTrigger(event.target.value as ReleaseTriggerName)}
      />
      <Select
        label="Then"
        value={action}
        options={(Object.keys(ACTIONS) as ReleaseActionName[]).map((name) => ({
          value: name,
          label: ACTIONS[name],
        }))}
        onChange={(event) => setAction(event.target.value as ReleaseActionName)}
      />
      {action === "set_value" && (
        <TextField
          label="Value"
          value={value}
          onChange={(event) => setValue(event.target.value)}
          hint="true/false, a whole number or text"
        />
      )}
      <fieldset className="space-y-1 sm:col-span-2">
        <legend className="text-sm font-medium">In environments</legend>
        <div className="flex flex-wrap gap-4">
          {(environments.data?.results ?? []).map((environment) => (
            <Checkbox
              key={environment.api_key}
              label={`${environment.name}${environment.protected ? " (protected)" : ""}`}
              checked={chosen.includes(environment.api_key)}
              onChange={(event) =>
                setChosen((keys) =>
                  event.target.checked
                    ? [...keys, environment.api_key]
                    : keys.filter((key) => key !== environment.api_key),
                )
              }
            />
          ))}
        </div>
      </fieldset>
      <TextField
        label="Delay"
        type="number"
        min={0}
        value={delay}
        onChange={(event) => setDelay(event.target.value)}
      />
      <Select
        label="Delay unit"
        value={unit}
        options={Object.keys(UNITS).map((name) => ({ value: name, label: name }))}
        onChange={(event) => setUnit(event.target.value as keyof typeof UNITS)}
      />
      <div className="sm:col-span-2">
        <Button type="submit" variant="primary" pending={pending} disabled={chosen.length === 0}>
          Add rule
        </Button>
      </div>
    </form>
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
        {canEdit && (
          <NewRuleForm
            projectId={projectId}
            links={links}
            pending={mutations.create.isPending}
            onCreate={(input) => mutations.create.mutate(input, outcome("Release rule added"))}
          />
        )}
      </div>
    </Section>
  );
}
