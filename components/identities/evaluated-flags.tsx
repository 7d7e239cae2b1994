"use client";

import Link from "next/link";
import { FlagValueText } from "@/components/features/flag-value";
import { Badge } from "@/components/ui/badge";
import { focusRing } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { ErrorState } from "@/components/ui/error-state";
import { Section } from "@/components/ui/page-header";
import { TableSkeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { describeReason } from "@/lib/client/format/evaluation-reason";
import { useEvaluatedFlags } from "@/lib/client/queries/use-identity-overrides";
import { routes } from "@/lib/client/routes";

const reasonTone = {
  default: "neutral",
  segment: "accent",
  identity: "warning",
  split: "success",
  other: "neutral",
} as const;

/** "Why does this identity get this value?": every flag as the engine evaluates it, with its reason. */
export function EvaluatedFlags({
  projectId,
  apiKey,
  identityId,
}: {
  projectId: number;
  apiKey: string;
  identityId: number;
}) {
  const evaluated = useEvaluatedFlags(apiKey, identityId);
  return (
    <Section
      title="Evaluated flags"
      description="What an application gets for this identity now, and why (identity override, segment override, variant split or the environment's default)."
    >
      {evaluated.isPending ? (
        <TableSkeleton rows={3} columns={4} label="Evaluating flags…" />
      ) : evaluated.isError ? (
        <ErrorState
          error={evaluated.error}
          onRetry={() => void evaluated.refetch()}
          title="Could not evaluate flags"
        />
      ) : (
        <>
          <p className="text-sm text-zinc-700 dark:text-zinc-300">
            Segments:{" "}
            {evaluated.data.segments.length
              ? evaluated.data.segments.map((segment) => segment.name).join(", ")
              : "none"}
          </p>
          {evaluated.data.flags.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">This project has no features yet.</p>
          ) : (
            <Table caption="Evaluated flags">
              <THead>
                <tr>
                  <TH>Feature</TH>
                  <TH className="w-24">Enabled</TH>
                  <TH>Value</TH>
                  <TH>Reason</TH>
                </tr>
              </THead>
              <TBody>
                {evaluated.data.flags.map((flag) => {
                  const reason = describeReason(flag.reason);
                  return (
                    <TR key={flag.feature.id}>
                      <TD>
                        <Link
                          href={routes.feature(projectId, apiKey, flag.feature.id)}
                          className={cx(
                            "rounded font-medium text-accent-700 hover:underline dark:text-accent-300",
                            focusRing,
                          )}
                        >
                          {flag.feature.name}
                        </Link>
                      </TD>
                      <TD>
                        <Badge tone={flag.enabled ? "success" : "neutral"}>
                          {flag.enabled ? "On" : "Off"}
                        </Badge>
                      </TD>
                      <TD>
                        <FlagValueText value={flag.feature_state_value} />
                        {flag.variant && (
                          <span className="ml-2 text-xs text-zinc-500 dark:text-zinc-400">
                            variant {flag.variant}
                          </span>
                        )}
                      </TD>
                      <TD>
                        <div className="space-y-0.5">
                          <Badge tone={reasonTone[reason.kind]}>{reason.label}</Badge>
                          <p className="font-mono text-[11px] text-zinc-500 dark:text-zinc-400">
                            {flag.reason}
                          </p>
                        </div>
                      </TD>
                    </TR>
                  );
                })}
              </TBody>
            </Table>
          )}
        </>
      )}
    </Section>
  );
}
