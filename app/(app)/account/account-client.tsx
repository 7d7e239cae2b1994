"use client";

import { useState } from "react";
import { GitLabUsernameDialog } from "@/components/organisation/gitlab-username-dialog";
import { Button } from "@/components/ui/button";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader, Section } from "@/components/ui/page-header";
import { BlockSkeleton } from "@/components/ui/skeleton";
import { useMe } from "@/lib/client/queries/use-me";
import { useUpdateMe } from "@/lib/client/queries/use-update-me";

// The signed-in person's own account: who they are and the GitLab username that links changes
// made from GitLab (flag commands, release rules fired by their merges) to them.

export function AccountClient() {
  const me = useMe();
  const updateMe = useUpdateMe();
  const [editing, setEditing] = useState(false);
  if (me.isPending) return <BlockSkeleton lines={4} label="Loading your account…" />;
  if (me.isError)
    return (
      <ErrorState title="Could not load your account" error={me.error} onRetry={() => void me.refetch()} />
    );
  if (!("email" in me.data)) return <p>API keys have no account page.</p>;
  const person = me.data;
  return (
    <>
      <PageHeader
        title="Your account"
        description={person.name ? `${person.name} · ${person.email}` : person.email}
      />
      <Section
        title="GitLab"
        description="Changes you make from GitLab (flag commands in comments, release rules fired by your merges) are recorded with your name when your GitLab username is here. What you may do from GitLab still depends on your GitLab role."
      >
        <div className="flex flex-wrap items-center gap-4">
          <p className="text-sm">
            GitLab username:{" "}
            <span className="font-medium" data-testid="gitlab-username">
              {person.gitlab_username ? `@${person.gitlab_username}` : "not set"}
            </span>
          </p>
          <Button onClick={() => setEditing(true)}>
            {person.gitlab_username ? "Change GitLab username" : "Set GitLab username"}
          </Button>
        </div>
      </Section>
      {editing && (
        <GitLabUsernameDialog
          open
          onClose={() => setEditing(false)}
          personName={person.name || person.email}
          current={person.gitlab_username}
          onSubmit={(gitlabUsername) => updateMe.mutateAsync({ gitlab_username: gitlabUsername })}
        />
      )}
    </>
  );
}
