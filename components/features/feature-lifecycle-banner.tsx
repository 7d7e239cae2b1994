"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { toast } from "sonner";
import { errorMessage } from "@/lib/client/queries/api-client";
import type { Feature } from "@/lib/client/queries/types";
import { useUpdateFeature } from "@/lib/client/queries/use-update-feature";
import { routes } from "@/lib/client/routes";

// Where a flag is in its life, above the feature's tabs: archived (restore it), ready to delete
// (its cleanup issue closed: archive it in one click) or stale (its work is done: clean it up).

function Banner({
  tone,
  title,
  children,
  action,
}: {
  tone: "success" | "warning" | "neutral";
  title: string;
  children: ReactNode;
  action?: ReactNode;
}) {
  return (
    <section
      aria-label={title}
      className={cx(
        "mb-6 flex flex-wrap items-center justify-between gap-3 rounded-lg border px-4 py-3 text-sm",
        tone === "success" &&
          "border-emerald-200 bg-emerald-50 text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950/60 dark:text-emerald-100",
        tone === "warning" &&
          "border-amber-200 bg-amber-50 text-amber-900 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-100",
        tone === "neutral" &&
          "border-zinc-200 bg-zinc-50 text-zinc-800 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-200",
      )}
    >
      <div className="space-y-0.5">
        <h2 className="font-semibold">{title}</h2>
        <p>{children}</p>
      </div>
      {action}
    </section>
  );
}

export function FeatureLifecycleBanner({
  feature,
  canEdit,
  onCreateCleanupIssue,
}: {
  feature: Feature;
  canEdit: boolean;
  onCreateCleanupIssue?: () => void;
}) {
  const update = useUpdateFeature(feature.project, feature.id);
  const setArchived = (archived: boolean) =>
    update.mutate(
      { is_archived: archived },
      {
        onSuccess: () => toast.success(archived ? `Archived ${feature.name}` : `Restored ${feature.name}`),
        onError: (error) =>
          toast.error(
            `Could not ${archived ? "archive" : "restore"} ${feature.name}: ${errorMessage(error)}`,
          ),
      },
    );

  if (feature.is_archived) {
    return (
      <Banner
        tone="neutral"
        title="Archived"
        action={
          canEdit && (
            <Button size="sm" onClick={() => setArchived(false)} pending={update.isPending}>
              Restore
            </Button>
          )
        }
      >
        This flag is hidden from the features list and no longer reported on GitLab. Its states, links and
        history are kept.
      </Banner>
    );
  }
  if (feature.ready_to_delete) {
    return (
      <Banner
        tone="success"
        title="Ready to delete"
        action={
          canEdit && (
            <Button size="sm" variant="primary" onClick={() => setArchived(true)} pending={update.isPending}>
              Archive
            </Button>
          )
        }
      >
        Its cleanup issue is closed, so the code no longer reads this flag. Archive it: it leaves the features
        list and GitLab comments, and can be restored.
      </Banner>
    );
  }
  if (feature.stale) {
    return (
      <Banner
        tone="warning"
        title="Stale"
        action={
          canEdit &&
          onCreateCleanupIssue && (
            <Button size="sm" onClick={onCreateCleanupIssue}>
              Create cleanup issue
            </Button>
          )
        }
      >
        Its linked work is done and its state has not changed for a while.{" "}
        <Link href={routes.staleFlags(feature.project)} className="font-medium underline">
          See why in Stale flags
        </Link>
        .
      </Banner>
    );
  }
  return null;
}
