"use client";

import { useState } from "react";
import { AddMemberDialog, projectRoleOptions } from "@/components/settings/add-member-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { Select } from "@/components/ui/select";
import { TableSkeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { toast } from "sonner";
import { formatDate } from "@/lib/client/format/dates";
import { useUrlQuery } from "@/lib/client/hooks/use-url-query";
import { errorMessage } from "@/lib/client/queries/api-client";
import type { ProjectMember, ProjectRole } from "@/lib/client/queries/types";
import { useProjectMembers } from "@/lib/client/queries/use-project-members";
import { useProjectPermissions } from "@/lib/client/queries/use-permissions";
import { useProject } from "@/lib/client/queries/use-project";
import { useRemoveProjectMember } from "@/lib/client/queries/use-remove-project-member";
import { useUpdateProjectMember } from "@/lib/client/queries/use-update-project-member";

const PAGE_SIZE = 20;
const roleLabel: Record<ProjectRole, string> = { ADMIN: "Admin", EDITOR: "Editor", VIEWER: "Viewer" };

function personName(member: ProjectMember) {
  return member.user.name || member.user.email;
}

export function MembersClient({ projectId }: { projectId: number }) {
  const { page, setQuery } = useUrlQuery();
  const project = useProject(projectId);
  const permissions = useProjectPermissions(projectId);
  const members = useProjectMembers(projectId, { page, page_size: PAGE_SIZE });
  const updateMember = useUpdateProjectMember(projectId);
  const removeMember = useRemoveProjectMember(projectId);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<ProjectMember | null>(null);
  const canAdmin = permissions.canAdmin;

  const addButton = canAdmin && project.data && (
    <Button variant="primary" onClick={() => setAdding(true)}>
      Add member
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Members"
        description="People with a role on this project. Organisation administrators can administer every project without being listed here."
        actions={addButton}
      />

      {members.isPending ? (
        <TableSkeleton columns={3} label="Loading members…" />
      ) : members.isError ? (
        <ErrorState
          title="Could not load members"
          error={members.error}
          onRetry={() => void members.refetch()}
        />
      ) : members.data.count === 0 ? (
        <EmptyState title="No members yet" action={addButton || undefined}>
          Add people from your organisation as viewers, editors or admins of this project.
        </EmptyState>
      ) : (
        <>
          <Table caption="Project members">
            <THead>
              <tr>
                <TH>Person</TH>
                <TH className="w-64">Role</TH>
                <TH className="w-36">Added</TH>
                {canAdmin && (
                  <TH className="w-28">
                    <span className="sr-only">Actions</span>
                  </TH>
                )}
              </tr>
            </THead>
            <TBody>
              {members.data.results.map((member) => (
                <TR key={member.user.id}>
                  <TD>
                    <p className="font-medium">{personName(member)}</p>
                    {member.user.name && (
                      <p className="text-xs text-zinc-500 dark:text-zinc-400">{member.user.email}</p>
                    )}
                  </TD>
                  <TD>
                    {canAdmin ? (
                      <Select
                        label={`Role of ${personName(member)}`}
                        hideLabel
                        value={member.role}
                        disabled={updateMember.isPending}
                        options={projectRoleOptions.map((option) => ({
                          value: option.value,
                          label: roleLabel[option.value],
                        }))}
                        onChange={(event) =>
                          updateMember.mutate(
                            { userId: member.user.id, role: event.target.value as ProjectRole },
                            {
                              onSuccess: (updated) =>
                                toast.success(
                                  `${personName(member)} is now ${roleLabel[updated.role].toLowerCase()}`,
                                ),
                              onError: (error) =>
                                toast.error(`Could not change the role: ${errorMessage(error)}`),
                            },
                          )
                        }
                      />
                    ) : (
                      <Badge>{roleLabel[member.role]}</Badge>
                    )}
                  </TD>
                  <TD className="text-zinc-600 dark:text-zinc-400">{formatDate(member.created_at)}</TD>
                  {canAdmin && (
                    <TD className="text-right">
                      <Button
                        variant="ghost"
                        size="sm"
                        onClick={() => setRemoving(member)}
                        aria-label={`Remove ${personName(member)}`}
                      >
                        Remove
                      </Button>
                    </TD>
                  )}
                </TR>
              ))}
            </TBody>
          </Table>
          <Pager
            page={page}
            pageSize={PAGE_SIZE}
            count={members.data.count}
            onPageChange={(next) => setQuery({ page: next })}
            noun="members"
          />
        </>
      )}

      {canAdmin && project.data && (
        <AddMemberDialog
          open={adding}
          onClose={() => setAdding(false)}
          projectId={projectId}
          organisationId={project.data.organisation}
          memberIds={(members.data?.results ?? []).map((member) => member.user.id)}
        />
      )}
      <ConfirmDialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={`Remove ${removing ? personName(removing) : ""} from the project?`}
        confirmLabel="Remove member"
        onConfirm={async () => {
          if (!removing) return;
          await removeMember.mutateAsync(removing.user.id);
          toast.success(`Removed ${personName(removing)} from the project`);
        }}
      >
        <p>
          They keep their organisation account but lose access to this project (unless they are an
          organisation administrator).
        </p>
      </ConfirmDialog>
    </>
  );
}
