"use client";

import { ApiKeys } from "@/components/organisation/api-keys";
import { OrganisationUsers } from "@/components/organisation/organisation-users";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { Select } from "@/components/ui/select";
import { BlockSkeleton } from "@/components/ui/skeleton";
import { useUrlQuery } from "@/lib/client/hooks/use-url-query";
import { useMe } from "@/lib/client/queries/use-me";

export function OrganisationSettingsClient({ currentUserId }: { currentUserId: number }) {
  const me = useMe();
  const { searchParams, setQuery } = useUrlQuery();

  if (me.isPending) return <BlockSkeleton lines={6} label="Loading organisation…" />;
  if (me.isError)
    return (
      <ErrorState
        title="Could not load your organisations"
        error={me.error}
        onRetry={() => void me.refetch()}
      />
    );

  const organisations = me.data.organisations;
  if (!organisations.length) return <EmptyState title="You do not belong to an organisation" />;
  const requested = Number(searchParams.get("organisation"));
  const organisation =
    organisations.find((org) => org.id === requested) ??
    organisations.find((org) => org.role === "ADMIN") ??
    organisations[0]!;
  const isAdmin = organisation.role === "ADMIN";

  return (
    <>
      <PageHeader
        title="Organisation settings"
        description={organisation.name}
        actions={
          organisations.length > 1 && (
            <Select
              label="Organisation"
              hideLabel
              value={String(organisation.id)}
              options={organisations.map((org) => ({ value: String(org.id), label: org.name }))}
              onChange={(event) =>
                setQuery({ organisation: event.target.value, users_page: null, keys_page: null })
              }
            />
          )
        }
      />
      <div className="space-y-12">
        <OrganisationUsers
          key={`users-${organisation.id}`}
          organisationId={organisation.id}
          isAdmin={isAdmin}
          currentUserId={currentUserId}
        />
        {isAdmin ? (
          <ApiKeys key={`keys-${organisation.id}`} organisationId={organisation.id} />
        ) : (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            API keys are managed by organisation administrators.
          </p>
        )}
      </div>
    </>
  );
}
