"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ProjectGeneralForm } from "@/components/settings/project-general-form";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader, Section } from "@/components/ui/page-header";
import { BlockSkeleton } from "@/components/ui/skeleton";
import { toast } from "sonner";
import { useDeleteProject } from "@/lib/client/queries/use-delete-project";
import { useProjectPermissions } from "@/lib/client/queries/use-permissions";
import { useProject } from "@/lib/client/queries/use-project";
import { routes } from "@/lib/client/routes";

export function ProjectSettingsClient({ projectId }: { projectId: number }) {
  const router = useRouter();
  const project = useProject(projectId);
  const permissions = useProjectPermissions(projectId);
  const deleteProject = useDeleteProject(projectId);
  const [confirmingDelete, setConfirmingDelete] = useState(false);

  if (project.isPending || permissions.isLoading)
    return <BlockSkeleton lines={5} label="Loading settings…" />;
  if (project.isError)
    return (
      <ErrorState
        title="Could not load the project"
        error={project.error}
        onRetry={() => void project.refetch()}
      />
    );

  return (
    <>
      <PageHeader title="Project settings" description={project.data.name} />
      <div className="space-y-10">
        <Section title="General">
          {/* Keyed by the saved values so the form shows them again after a save elsewhere. */}
          <ProjectGeneralForm
            key={`${project.data.name}:${project.data.stale_flag_threshold_days}:${project.data.hide_disabled_flags}`}
            project={project.data}
            canAdmin={permissions.canAdmin}
          />
        </Section>

        {permissions.canAdmin && (
          <Section title="Danger zone">
            <div className="flex max-w-xl flex-wrap items-center justify-between gap-4 rounded-lg border border-red-200 bg-white p-5 dark:border-red-900 dark:bg-zinc-900">
              <div className="text-sm">
                <p className="font-medium">Delete this project</p>
                <p className="text-zinc-600 dark:text-zinc-400">
                  Removes its features, environments, segments and members.
                </p>
              </div>
              <Button variant="danger" onClick={() => setConfirmingDelete(true)}>
                Delete project
              </Button>
            </div>
          </Section>
        )}
      </div>

      <ConfirmDialog
        open={confirmingDelete}
        onClose={() => setConfirmingDelete(false)}
        title={`Delete project ${project.data.name}?`}
        confirmLabel="Delete project"
        typedConfirmation={project.data.name}
        onConfirm={async () => {
          await deleteProject.mutateAsync();
          toast.success(`Deleted project ${project.data.name}`);
          router.push(routes.projects());
        }}
      >
        <p>
          Every feature, environment (with its API key), segment and member of{" "}
          <strong>{project.data.name}</strong> is deleted. Applications using its environment keys stop
          receiving flags. This cannot be undone.
        </p>
      </ConfirmDialog>
    </>
  );
}
