"use client";

import { ListPlus, Plus, Trash2 } from "lucide-react";
import { useId, useState } from "react";
import { get, useFieldArray, useFormContext, useWatch, type FieldError } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/select";
import { FieldError as FieldErrorText, TextField } from "@/components/ui/text-field";
import { OPERATOR_LABELS, RULE_TYPE_LABELS } from "@/lib/client/format/segment-rules";
import {
  CONDITION_OPERATORS,
  RULE_TYPES,
  type ConditionOperator,
  type SegmentCondition,
} from "@/lib/engine/types";
import { MAX_RULE_DEPTH } from "@/lib/validations/segment-rules";

// The segment rule builder: Flagsmith's rule tree (groups of type ALL/ANY/NONE holding conditions and
// nested groups) edited as nested field arrays of the surrounding react-hook-form form, under its
// `rules` field. Every control is named by its place ("condition 1.2.3") so errors from the shared
// schema or from the server land next to the condition they are about.

const PATH_PROPERTIES = ["$.identity.identifier", "$.identity.key", "$.environment.name"];

const operatorOptions = CONDITION_OPERATORS.map((operator) => ({
  value: operator,
  label: `${OPERATOR_LABELS[operator]} (${operator})`,
}));
const ruleTypeOptions = RULE_TYPES.map((type) => ({ value: type, label: RULE_TYPE_LABELS[type] }));

const emptyCondition = (): SegmentCondition => ({ property: "", operator: "EQUAL", value: "" });
const emptyRule = (type: (typeof RULE_TYPES)[number] = "ALL") => ({
  type,
  conditions: [emptyCondition()],
  rules: [],
});

function errorAt(errors: unknown, path: string): string | undefined {
  const error = get(errors, path) as (FieldError & { root?: FieldError }) | undefined;
  return error?.message ?? error?.root?.message;
}

/** What a condition's value becomes when its operator changes (so a stale value never fails validation). */
function valueFor(operator: ConditionOperator, previous: unknown): SegmentCondition["value"] {
  if (operator === "IS_SET" || operator === "IS_NOT_SET") return null;
  if (operator === "MODULO") return "2|0";
  if (operator === "PERCENTAGE_SPLIT") return "50";
  if (typeof previous === "string" && !/^\d+(\.\d+)?\|\d+/.test(previous)) return previous;
  return "";
}

/** The whole tree: the top-level groups (all of which must match) and a button for another. */
export function RuleBuilder({ disabled }: { disabled?: boolean }) {
  const { control, formState } = useFormContext();
  const groups = useFieldArray({ control, name: "rules" });
  const treeError = errorAt(formState.errors, "rules");
  return (
    <fieldset className="space-y-3" disabled={disabled}>
      <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Rules</legend>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        An identity is in the segment when every group below matches. A segment without rules matches no one.
      </p>
      {groups.fields.map((field, index) => (
        <RuleGroup
          key={field.id}
          path={`rules.${index}`}
          label={`${index + 1}`}
          depth={1}
          onRemove={() => groups.remove(index)}
        />
      ))}
      <FieldErrorText message={treeError} />
      <Button size="sm" onClick={() => groups.append(emptyRule())}>
        <ListPlus aria-hidden className="size-4" />
        Add rule group
      </Button>
    </fieldset>
  );
}

function RuleGroup({
  path,
  label,
  depth,
  onRemove,
}: {
  path: string;
  label: string;
  depth: number;
  onRemove: () => void;
}) {
  const { control, register, formState } = useFormContext();
  const conditions = useFieldArray({ control, name: `${path}.conditions` });
  const groups = useFieldArray({ control, name: `${path}.rules` });
  const groupError =
    errorAt(formState.errors, `${path}.conditions`) ?? errorAt(formState.errors, `${path}.rules`);
  return (
    <div
      role="group"
      aria-label={`Group ${label}`}
      className="space-y-3 rounded-lg border border-zinc-200 bg-zinc-50/60 p-3 dark:border-zinc-800 dark:bg-zinc-900/40"
    >
      <div className="flex flex-wrap items-end gap-2">
        <Select
          label={`Group ${label} matches when`}
          options={ruleTypeOptions}
          className="min-w-56 flex-1"
          error={errorAt(formState.errors, `${path}.type`)}
          {...register(`${path}.type`)}
        />
        <Button variant="ghost" size="sm" onClick={onRemove} aria-label={`Remove group ${label}`}>
          <Trash2 aria-hidden className="size-4" />
          Remove group
        </Button>
      </div>
      {conditions.fields.map((field, index) => (
        <ConditionRow
          key={field.id}
          path={`${path}.conditions.${index}`}
          label={`${label}.${index + 1}`}
          onRemove={() => conditions.remove(index)}
        />
      ))}
      {groups.fields.map((field, index) => (
        <div key={field.id} className="border-l-2 border-accent-200 pl-3 dark:border-accent-800">
          <RuleGroup
            path={`${path}.rules.${index}`}
            label={`${label}.${index + 1}`}
            depth={depth + 1}
            onRemove={() => groups.remove(index)}
          />
        </div>
      ))}
      <FieldErrorText message={groupError} />
      <div className="flex flex-wrap gap-2">
        <Button size="sm" onClick={() => conditions.append(emptyCondition())}>
          <Plus aria-hidden className="size-4" />
          Add condition
          <span className="sr-only"> to group {label}</span>
        </Button>
        <Button
          size="sm"
          onClick={() => groups.append(emptyRule("ANY"))}
          disabled={depth >= MAX_RULE_DEPTH}
          title={depth >= MAX_RULE_DEPTH ? `Rules nest at most ${MAX_RULE_DEPTH} levels` : undefined}
        >
          <ListPlus aria-hidden className="size-4" />
          Add sub-group
          <span className="sr-only"> to group {label}</span>
        </Button>
      </div>
    </div>
  );
}

function ConditionRow({ path, label, onRemove }: { path: string; label: string; onRemove: () => void }) {
  const { control, register, setValue, getValues, formState } = useFormContext();
  const operator = useWatch({ control, name: `${path}.operator` }) as ConditionOperator;
  const listId = useId();
  const errors = formState.errors;
  const operatorField = register(`${path}.operator`);
  return (
    <div className="grid gap-2 rounded-md bg-white p-2 shadow-sm ring-1 ring-zinc-200 sm:grid-cols-[1fr_1fr_1.3fr_auto] dark:bg-zinc-950 dark:ring-zinc-800">
      {operator === "PERCENTAGE_SPLIT" ? (
        <p className="self-center text-xs text-zinc-500 dark:text-zinc-400">
          Each identity, by a hash of its key and this segment
        </p>
      ) : (
        <>
          <TextField
            label={`Condition ${label} property`}
            hideLabel
            placeholder="Trait, or $.identity.identifier"
            list={listId}
            error={errorAt(errors, `${path}.property`)}
            {...register(`${path}.property`)}
          />
          <datalist id={listId}>
            {PATH_PROPERTIES.map((property) => (
              <option key={property} value={property} />
            ))}
          </datalist>
        </>
      )}
      <Select
        label={`Condition ${label} operator`}
        hideLabel
        options={operatorOptions}
        error={errorAt(errors, `${path}.operator`)}
        {...operatorField}
        onChange={(event) => {
          const next = event.target.value as ConditionOperator;
          setValue(`${path}.value`, valueFor(next, getValues(`${path}.value`)));
          if (next === "PERCENTAGE_SPLIT") setValue(`${path}.property`, "");
          void operatorField.onChange(event);
        }}
      />
      <ConditionValue
        path={path}
        label={label}
        operator={operator}
        error={errorAt(errors, `${path}.value`)}
      />
      <Button
        variant="ghost"
        size="sm"
        onClick={onRemove}
        aria-label={`Remove condition ${label}`}
        className="self-start"
      >
        <Trash2 aria-hidden className="size-4" />
      </Button>
    </div>
  );
}

/** The value control that fits the operator. */
function ConditionValue({
  path,
  label,
  operator,
  error,
}: {
  path: string;
  label: string;
  operator: ConditionOperator;
  error?: string;
}) {
  const { register } = useFormContext();
  const name = `Condition ${label} value`;
  switch (operator) {
    case "IS_SET":
    case "IS_NOT_SET":
      return <p className="self-center text-xs text-zinc-500 dark:text-zinc-400">No value needed</p>;
    case "PERCENTAGE_SPLIT":
      return (
        <TextField
          label={`Condition ${label} percentage`}
          hideLabel
          type="number"
          min={0}
          max={100}
          step="any"
          placeholder="0–100"
          hint="Percentage of identities, 0–100"
          error={error}
          {...register(`${path}.value`)}
        />
      );
    case "MODULO":
      return <ModuloValue path={path} label={label} error={error} />;
    case "IN":
      return <InValue path={path} label={label} error={error} />;
    default:
      return (
        <TextField
          label={name}
          hideLabel
          placeholder="Value"
          hint={
            operator === "REGEX"
              ? "A regular expression, matched anywhere in the value (use ^…$ to anchor)"
              : "Compared as the trait's type; end with :semver to compare versions (1.2.0:semver)"
          }
          error={error}
          {...register(`${path}.value`)}
        />
      );
  }
}

/** MODULO's "divisor|remainder" as two number fields. */
function ModuloValue({ path, label, error }: { path: string; label: string; error?: string }) {
  const { control, setValue } = useFormContext();
  const value = useWatch({ control, name: `${path}.value` }) as unknown;
  const [divisor = "", remainder = ""] = typeof value === "string" ? value.split("|") : [];
  const set = (nextDivisor: string, nextRemainder: string) =>
    setValue(`${path}.value`, `${nextDivisor}|${nextRemainder}`, { shouldDirty: true, shouldValidate: true });
  return (
    <div className="space-y-1">
      <div className="flex items-center gap-1.5 text-sm">
        <TextField
          label={`Condition ${label} divisor`}
          hideLabel
          type="number"
          placeholder="Divisor"
          value={divisor}
          onChange={(event) => set(event.target.value, remainder)}
        />
        <span aria-hidden>=</span>
        <TextField
          label={`Condition ${label} remainder`}
          hideLabel
          type="number"
          placeholder="Remainder"
          value={remainder}
          onChange={(event) => set(divisor, event.target.value)}
        />
      </div>
      <FieldErrorText message={error} />
    </div>
  );
}

/**
 * IN's list: typed as comma-separated text, stored as Flagsmith's comma list (members trimmed). A
 * JSON array (for members that contain commas) is kept as typed; the engine reads both.
 */
function InValue({ path, label, error }: { path: string; label: string; error?: string }) {
  const { getValues, setValue } = useFormContext();
  const [text, setText] = useState(() => {
    const value = getValues(`${path}.value`) as unknown;
    if (Array.isArray(value)) return value.join(", ");
    if (typeof value !== "string") return "";
    return value.trimStart().startsWith("[") ? value : value.split(",").join(", ");
  });
  return (
    <TextField
      label={`Condition ${label} values`}
      hideLabel
      placeholder="a, b, c"
      hint="Separate values with commas"
      value={text}
      error={error}
      onChange={(event) => {
        const typed = event.target.value;
        setText(typed);
        const members = typed
          .split(",")
          .map((member) => member.trim())
          .filter(Boolean);
        setValue(`${path}.value`, typed.trimStart().startsWith("[") ? typed : members.join(","), {
          shouldDirty: true,
        });
      }}
    />
  );
}
