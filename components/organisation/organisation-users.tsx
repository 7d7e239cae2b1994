"use client";

import { useState } from "react";
import { AddUserDialog, organisationRoleOptions } from "@/components/organisation/add-user-dialog";
import { GitLabUsernameDialog } from "@/components/organisation/gitlab-username-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorState } from "@/components/ui/error-state";
import { Section } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { Select } from "@/components/ui/select";
import { TableSkeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { toast } from "sonner";
import { formatDate } from "@/lib/client/format/dates";
import { useUrlQuery } from "@/lib/client/hooks/use-url-query";
import { errorMessage } from "@/lib/client/queries/api-client";
import type { OrganisationRole, OrganisationUser } from "@/lib/client/queries/types";
import { useOrganisationUsers } from "@/lib/client/queries/use-organisation-users";
import { useRemoveOrganisationUser } from "@/lib/client/queries/use-remove-organisation-user";
import { useUpdateOrganisationUser } from "@/lib/client/queries/use-update-organisation-user";

const PAGE_SIZE = 20;
const PAGE_PARAM = "users_page";

function personName(user: OrganisationUser) {
  return user.name || user.email;
}

export function OrganisationUsers({
  organisationId,
  isAdmin,
  currentUserId,
}: {
  organisationId: number;
  isAdmin: boolean;
  currentUserId?: number;
}) {
  const { searchParams, setQuery } = useUrlQuery();
  const page = Math.max(1, Number(searchParams.get(PAGE_PARAM)) || 1);
  const users = useOrganisationUsers(organisationId, { page, page_size: PAGE_SIZE });
  const updateUser = useUpdateOrganisationUser(organisationId);
  const removeUser = useRemoveOrganisationUser(organisationId);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<OrganisationUser | null>(null);
  const [linking, setLinking] = useState<OrganisationUser | null>(null);

  return (
    <Section
      title="Users"
      description="Everyone who can sign in to this organisation."
      actions={
        isAdmin && (
          <Button variant="primary" onClick={() => setAdding(true)}>
            Add user
          </Button>
        )
      }
    >
      {users.isPending ? (
        <TableSkeleton columns={4} label="Loading users…" />
      ) : users.isError ? (
        <ErrorState title="Could not load users" error={users.error} onRetry={() => void users.refetch()} />
      ) : (
        <>
          <Table caption="Organisation users">
            <THead>
              <tr>
                <TH>Person</TH>
                <TH className="w-44">Role</TH>
                <TH className="w-44">GitLab</TH>
                <TH className="w-36">Added</TH>
                {isAdmin && (
                  <TH className="w-28">
                    <span className="sr-only">Actions</span>
                  </TH>
                )}
              </tr>
            </THead>
            <TBody>
              {users.data.results.map((user) => {
                const isSelf = user.id === currentUserId;
                return (
                  <TR key={user.id}>
                    <TD>
                      <p className="font-medium">
                        {personName(user)}{" "}
                        {isSelf && <span className="text-xs font-normal text-zinc-500">(you)</span>}
                      </p>
                      {user.name && <p className="text-xs text-zinc-500 dark:text-zinc-400">{user.email}</p>}
                    </TD>
                    <TD>
                      {isAdmin && !isSelf ? (
                        <Select
                          label={`Role of ${personName(user)}`}
                          hideLabel
                          value={user.role}
                          disabled={updateUser.isPending}
                          options={organisationRoleOptions}
                          onChange={(event) =>
                            updateUser.mutate(
                              { userId: user.id, role: event.target.value as OrganisationRole },
                              {
                                onSuccess: (updated) =>
                                  toast.success(
                                    `${personName(user)} is now ${updated.role === "ADMIN" ? "an admin" : "a member"}`,
                                  ),
                                onError: (error) =>
                                  toast.error(`Could not change the role: ${errorMessage(error)}`),
                              },
                            )
                          }
                        />
                      ) : (
                        <Badge tone={user.role === "ADMIN" ? "accent" : "neutral"}>
                          {user.role === "ADMIN" ? "Admin" : "Member"}
                        </Badge>
                      )}
                    </TD>
                    <TD>
                      <span className="text-sm">
                        {user.gitlab_username ? `@${user.gitlab_username}` : "—"}
                      </span>
                      {isAdmin && (
                        <Button
                          variant="ghost"
                          size="sm"
                          onClick={() => setLinking(user)}
                          aria-label={`GitLab username of ${personName(user)}`}
                        >
                          Edit
                        </Button>
                      )}
                    </TD>
                    <TD className="text-zinc-600 dark:text-zinc-400">{formatDate(user.created_at)}</TD>
                    {isAdmin && (
                      <TD className="text-right">
                        {!isSelf && (
                          <Button
                            variant="ghost"
                            size="sm"
                            onClick={() => setRemoving(user)}
                            aria-label={`Remove ${personName(user)}`}
                          >
                            Remove
                          </Button>
                        )}
                      </TD>
                    )}
                  </TR>
                );
              })}
            </TBody>
          </Table>
          <Pager
            page={page}
            pageSize={PAGE_SIZE}
            count={users.data.count}
            onPageChange={(next) => setQuery({ [PAGE_PARAM]: next })}
            noun="users"
          />
        </>
      )}

      {isAdmin && (
        <AddUserDialog open={adding} onClose={() => setAdding(false)} organisationId={organisationId} />
      )}
      {isAdmin && linking && (
        <GitLabUsernameDialog
          key={linking.id}
          open
          onClose={() => setLinking(null)}
          personName={personName(linking)}
          current={linking.gitlab_username}
          onSubmit={(gitlabUsername) =>
            updateUser.mutateAsync({ userId: linking.id, gitlab_username: gitlabUsername })
          }
        />
      )}
      <ConfirmDialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={`Remove ${removing ? personName(removing) : ""}?`}
        confirmLabel="Remove user"
        onConfirm={async () => {
          if (!removing) return;
          await removeUser.mutateAsync(removing.id);
          toast.success(`Removed ${personName(removing)}`);
        }}
      >
        <p>
          <strong>{removing?.email}</strong> can no longer sign in to this organisation and loses every
          project role in it. Their past changes stay in the audit log.
        </p>
      </ConfirmDialog>
    </Section>
  );
}
