"use client";

import Link from "next/link";
import { useState } from "react";
import { CreateProjectDialog } from "@/components/projects/create-project-dialog";
import { Button, focusRing } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pager } from "@/components/ui/pager";
import { SearchField } from "@/components/ui/search-field";
import { TableSkeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDate } from "@/lib/client/format/dates";
import { useUrlQuery } from "@/lib/client/hooks/use-url-query";
import { useUrlSearch } from "@/lib/client/hooks/use-url-search";
import { useMe } from "@/lib/client/queries/use-me";
import { useProjects } from "@/lib/client/queries/use-projects";
import { routes } from "@/lib/client/routes";

const PAGE_SIZE = 20;

export function ProjectsClient() {
  const { page, setQuery } = useUrlQuery();
  const { text, setText, search } = useUrlSearch();
  const [creating, setCreating] = useState(false);
  const me = useMe();
  const projects = useProjects({ search: search || undefined, page, page_size: PAGE_SIZE });
  const adminOf = me.data?.organisations.filter((org) => org.role === "ADMIN") ?? [];
  const canCreate = adminOf.length > 0;

  const createButton = canCreate && (
    <Button variant="primary" onClick={() => setCreating(true)}>
      Create project
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Projects"
        description="Each project has its own features, segments and environments."
        actions={createButton}
      />

      <div className="mb-4">
        <SearchField label="Search projects" value={text} onChange={setText} />
      </div>

      {projects.isPending ? (
        <TableSkeleton columns={2} label="Loading projects…" />
      ) : projects.isError ? (
        <ErrorState
          title="Could not load projects"
          error={projects.error}
          onRetry={() => void projects.refetch()}
        />
      ) : projects.data.count === 0 ? (
        search ? (
          <EmptyState title="No matching projects">No project name contains “{search}”.</EmptyState>
        ) : (
          <EmptyState title="No projects yet" action={createButton || undefined}>
            {canCreate
              ? "Create a project to start managing feature flags. It can come with Development and Production environments."
              : "You are not a member of any project yet. Ask an organisation administrator to add you."}
          </EmptyState>
        )
      ) : (
        <>
          <Table caption="Projects">
            <THead>
              <tr>
                <TH>Name</TH>
                <TH className="w-48">Created</TH>
              </tr>
            </THead>
            <TBody>
              {projects.data.results.map((project) => (
                <TR key={project.id}>
                  <TD>
                    <Link
                      href={routes.project(project.id)}
                      className={cx(
                        "rounded font-medium text-accent-700 hover:underline dark:text-accent-300",
                        focusRing,
                      )}
                    >
                      {project.name}
                    </Link>
                  </TD>
                  <TD className="text-zinc-600 dark:text-zinc-400">{formatDate(project.created_at)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <Pager
            page={page}
            pageSize={PAGE_SIZE}
            count={projects.data.count}
            onPageChange={(next) => setQuery({ page: next })}
            noun="projects"
          />
        </>
      )}

      {canCreate && (
        <CreateProjectDialog open={creating} onClose={() => setCreating(false)} organisations={adminOf} />
      )}
    </>
  );
}
