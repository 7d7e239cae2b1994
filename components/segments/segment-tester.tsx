"use client";

import { CircleCheck, CircleX, FlaskConical, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { useFormContext } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { Select } from "@/components/ui/select";
import { TextField } from "@/components/ui/text-field";
import { errorMessage } from "@/lib/client/queries/api-client";
import { useEnvironments } from "@/lib/client/queries/use-environments";
import { useTestSegment } from "@/lib/client/queries/use-test-segment";
import { parseTypedTrait, TRAIT_TYPE_OPTIONS, type TraitType } from "@/lib/client/format/traits";
import { segmentRulesField } from "@/lib/validations/segment-rules";

// "Test this segment": the rules as they are in the form (saved or not) against traits typed here,
// evaluated by the server's engine through the segment tester. Nothing is stored.

interface TraitRow {
  key: string;
  type: TraitType;
  value: string;
}

export function SegmentTester({ projectId, segmentId }: { projectId: number; segmentId?: number }) {
  const form = useFormContext();
  const environments = useEnvironments(projectId);
  const test = useTestSegment(projectId);
  const [traits, setTraits] = useState<TraitRow[]>([{ key: "", type: "string", value: "" }]);
  const [identifier, setIdentifier] = useState("");
  const [environment, setEnvironment] = useState("");
  const [problem, setProblem] = useState<string | undefined>();
  const [result, setResult] = useState<boolean | null>(null);

  const update = (index: number, change: Partial<TraitRow>) => {
    setResult(null);
    setTraits((rows) => rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  };

  const run = async () => {
    setProblem(undefined);
    setResult(null);
    // The same schema as saving: a rule error shows at its condition, not as a failed test.
    if (!(await form.trigger("rules"))) {
      setProblem("Fix the rules above first.");
      return;
    }
    const rules = segmentRulesField.safeParse(form.getValues("rules"));
    if (!rules.success) return setProblem("Fix the rules above first.");
    const traitValues: Record<string, string | number | boolean> = {};
    for (const row of traits) {
      if (!row.key.trim()) continue;
      const parsed = parseTypedTrait(row.type, row.value);
      if (!parsed.ok) return setProblem(`Trait ${row.key}: ${parsed.error}`);
      traitValues[row.key.trim()] = parsed.value;
    }
    try {
      const answer = await test.mutateAsync({
        rules: rules.data,
        traits: traitValues,
        identifier: identifier.trim() || undefined,
        environment: environment || undefined,
        segment: segmentId,
      });
      setResult(answer.matches);
    } catch (error) {
      setProblem(errorMessage(error));
    }
  };

  return (
    <section
      aria-label="Test this segment"
      className="space-y-3 rounded-lg border border-dashed border-zinc-300 p-3 dark:border-zinc-700"
    >
      <h3 className="flex items-center gap-1.5 text-sm font-semibold">
        <FlaskConical aria-hidden className="size-4" />
        Test this segment
      </h3>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Does an identity with these traits belong to the segment as its rules stand above? Nothing is saved.
      </p>
      {traits.map((row, index) => (
        <div key={index} className="grid gap-2 sm:grid-cols-[1fr_8rem_1fr_auto]">
          <TextField
            label={`Test trait ${index + 1} key`}
            hideLabel
            placeholder="Trait key"
            value={row.key}
            onChange={(event) => update(index, { key: event.target.value })}
          />
          <Select
            label={`Test trait ${index + 1} type`}
            hideLabel
            options={TRAIT_TYPE_OPTIONS}
            value={row.type}
            onChange={(event) => update(index, { type: event.target.value as TraitType })}
          />
          {row.type === "boolean" ? (
            <Select
              label={`Test trait ${index + 1} value`}
              hideLabel
              options={[
                { value: "true", label: "true" },
                { value: "false", label: "false" },
              ]}
              value={row.value === "false" ? "false" : "true"}
              onChange={(event) => update(index, { value: event.target.value })}
            />
          ) : (
            <TextField
              label={`Test trait ${index + 1} value`}
              hideLabel
              type={row.type === "number" ? "number" : "text"}
              step="any"
              placeholder="Value"
              value={row.value}
              onChange={(event) => update(index, { value: event.target.value })}
            />
          )}
          <Button
            variant="ghost"
            size="sm"
            aria-label={`Remove test trait ${index + 1}`}
            onClick={() => setTraits((rows) => rows.filter((_, i) => i !== index))}
          >
            <Trash2 aria-hidden className="size-4" />
          </Button>
        </div>
      ))}
      <Button
        size="sm"
        onClick={() => setTraits((rows) => [...rows, { key: "", type: "string", value: "" }])}
      >
        <Plus aria-hidden className="size-4" />
        Add test trait
      </Button>
      <div className="grid gap-2 sm:grid-cols-2">
        <TextField
          label="Identifier (optional)"
          placeholder="test-identity"
          hint="Used by $.identity.identifier and percentage splits"
          value={identifier}
          onChange={(event) => setIdentifier(event.target.value)}
        />
        <Select
          label="Environment (optional)"
          placeholder="No environment"
          options={(environments.data?.results ?? []).map((env) => ({ value: env.api_key, label: env.name }))}
          value={environment}
          onChange={(event) => setEnvironment(event.target.value)}
        />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button size="sm" variant="secondary" onClick={() => void run()} pending={test.isPending}>
          Run test
        </Button>
        <p role="status" aria-live="polite" className="text-sm font-medium">
          {result === true && (
            <span className="inline-flex items-center gap-1 text-emerald-700 dark:text-emerald-300">
              <CircleCheck aria-hidden className="size-4" /> Match: this identity is in the segment
            </span>
          )}
          {result === false && (
            <span className="inline-flex items-center gap-1 text-zinc-700 dark:text-zinc-300">
              <CircleX aria-hidden className="size-4" /> No match: this identity is not in the segment
            </span>
          )}
        </p>
      </div>
      <FormError message={problem} />
    </section>
  );
}
