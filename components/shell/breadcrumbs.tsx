"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { Skeleton } from "@/components/ui/skeleton";
import { focusRing } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { useRouteContext } from "@/lib/client/hooks/use-route-context";
import { useEnvironment } from "@/lib/client/queries/use-environment";
import { useFeature } from "@/lib/client/queries/use-feature";
import { useMe } from "@/lib/client/queries/use-me";
import { useProject } from "@/lib/client/queries/use-project";
import { routes } from "@/lib/client/routes";

interface Crumb {
  /** Undefined while loading. */
  label: string | undefined;
  href: string;
}

/** A name from a query: the name, "…" while it loads, or a dash when it could not be loaded. */
function nameOf(query: { data?: { name: string }; isError: boolean }): string | undefined {
  return query.data?.name ?? (query.isError ? "—" : undefined);
}

// Pages inside a project that have no environment in their URL, by the path after the project.
const projectSections: { path: string; crumbs: { label: string; path: string }[] }[] = [
  { path: "segments", crumbs: [{ label: "Segments", path: "segments" }] },
  { path: "environments", crumbs: [{ label: "Environments", path: "environments" }] },
  { path: "audit-log", crumbs: [{ label: "Audit log", path: "audit-log" }] },
  { path: "stale-flags", crumbs: [{ label: "Stale flags", path: "stale-flags" }] },
  { path: "scheduled-changes", crumbs: [{ label: "Scheduled changes", path: "scheduled-changes" }] },
  { path: "settings", crumbs: [{ label: "Settings", path: "settings" }] },
  {
    path: "settings/members",
    crumbs: [
      { label: "Settings", path: "settings" },
      { label: "Members", path: "settings/members" },
    ],
  },
  {
    path: "settings/integrations",
    crumbs: [
      { label: "Settings", path: "settings" },
      { label: "Integrations", path: "settings/integrations" },
    ],
  },
];

/** Organisation › Project › Environment › Feature (or the section of the project you are in). */
export function Breadcrumbs() {
  const pathname = usePathname();
  const { projectId, envApiKey, featureId } = useRouteContext();
  const me = useMe();
  const project = useProject(projectId);
  const environment = useEnvironment(envApiKey);
  const feature = useFeature(projectId, featureId);

  const organisationId = project.data?.organisation ?? me.data?.organisations[0]?.id;
  const organisationName = me.data?.organisations.find((org) => org.id === organisationId)?.name;

  const crumbs: Crumb[] = [
    { label: organisationName ?? (me.isPending ? undefined : "Organisation"), href: routes.projects() },
  ];
  if (projectId !== undefined) {
    crumbs.push({ label: nameOf(project), href: routes.project(projectId) });
    if (envApiKey) {
      crumbs.push({ label: nameOf(environment), href: routes.features(projectId, envApiKey) });
      if (featureId !== undefined)
        crumbs.push({ label: nameOf(feature), href: routes.feature(projectId, envApiKey, featureId) });
    } else {
      const rest = pathname.replace(`/projects/${projectId}/`, "");
      // The longest matching section wins (settings/members before settings).
      const section = [...projectSections]
        .reverse()
        .find((candidate) => rest === candidate.path || rest.startsWith(`${candidate.path}/`));
      for (const crumb of section?.crumbs ?? [])
        crumbs.push({ label: crumb.label, href: `/projects/${projectId}/${crumb.path}` });
    }
  } else if (pathname.startsWith(routes.organisationSettings())) {
    crumbs.push({ label: "Settings", href: routes.organisationSettings() });
  } else if (pathname === routes.projects()) {
    crumbs.push({ label: "Projects", href: routes.projects() });
  }

  return (
    <nav aria-label="Breadcrumb" className="min-w-0">
      <ol className="flex min-w-0 flex-wrap items-center gap-x-1.5 gap-y-1 text-sm">
        {crumbs.map((crumb, index) => {
          const last = index === crumbs.length - 1;
          return (
            <li key={`${crumb.href}-${index}`} className="flex min-w-0 items-center gap-1.5">
              {index > 0 && (
                <span aria-hidden="true" className="text-zinc-400">
                  ›
                </span>
              )}
              {crumb.label === undefined ? (
                <Skeleton className="h-4 w-20" />
              ) : last ? (
                <span aria-current="page" className="truncate font-medium text-zinc-900 dark:text-zinc-100">
                  {crumb.label}
                </span>
              ) : (
                <Link
                  href={crumb.href}
                  className={cx(
                    "truncate rounded text-zinc-600 hover:text-zinc-900 hover:underline dark:text-zinc-400 dark:hover:text-zinc-100",
                    focusRing,
                  )}
                >
                  {crumb.label}
                </Link>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
