"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { Suspense, useEffect, useState, type ReactNode } from "react";
import { Breadcrumbs } from "@/components/shell/breadcrumbs";
import { EnvironmentSwitcher } from "@/components/shell/environment-switcher";
import { ProjectSwitcher } from "@/components/shell/project-switcher";
import { SidebarNav } from "@/components/shell/sidebar-nav";
import { UserMenu, type ShellUser } from "@/components/shell/user-menu";
import { Button, focusRing } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { useLastEnvironment } from "@/lib/client/hooks/use-last-environment";
import { useRouteContext } from "@/lib/client/hooks/use-route-context";
import { useEnvironments } from "@/lib/client/queries/use-environments";
import { useMe } from "@/lib/client/queries/use-me";
import { useProject } from "@/lib/client/queries/use-project";
import { routes } from "@/lib/client/routes";

/** The signed-in frame: sidebar (organisation, switchers, navigation, account) and a header with breadcrumbs. */
export function AppShell({ user, children }: { user: ShellUser; children: ReactNode }) {
  const pathname = usePathname();
  const { projectId, envApiKey } = useRouteContext();
  const [navOpen, setNavOpen] = useState(false);
  const [lastEnvironment, rememberEnvironment] = useLastEnvironment(projectId);
  const me = useMe();
  const project = useProject(projectId);

  useEffect(() => {
    if (envApiKey) rememberEnvironment(envApiKey);
  }, [envApiKey, rememberEnvironment]);

  // The mobile drawer closes when you navigate (adjusted during render, React's pattern for state
  // that follows a prop) or press Escape.
  const [drawerPath, setDrawerPath] = useState(pathname);
  if (drawerPath !== pathname) {
    setDrawerPath(pathname);
    setNavOpen(false);
  }
  useEffect(() => {
    if (!navOpen) return;
    const onKeyDown = (event: KeyboardEvent) => event.key === "Escape" && setNavOpen(false);
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [navOpen]);

  // A remembered environment may since have been deleted; only trust it while it still exists.
  const environments = useEnvironments(projectId);
  const rememberedStillExists =
    environments.data?.results.some((environment) => environment.api_key === lastEnvironment) ?? false;
  const environmentKey = envApiKey ?? (rememberedStillExists ? lastEnvironment : null);
  const featuresHref =
    projectId === undefined
      ? routes.projects()
      : environmentKey
        ? routes.features(projectId, environmentKey)
        : routes.project(projectId);
  const organisationId = project.data?.organisation ?? me.data?.organisations[0]?.id;
  const organisationName = me.data?.organisations.find((org) => org.id === organisationId)?.name;

  return (
    <div className="flex min-h-dvh">
      <a
        href="#main"
        className="sr-only z-50 rounded bg-white px-3 py-2 text-sm focus:not-sr-only focus:fixed focus:top-2 focus:left-2 dark:bg-zinc-900"
      >
        Skip to content
      </a>

      {navOpen && (
        <div
          aria-hidden="true"
          className="fixed inset-0 z-30 bg-zinc-950/40 lg:hidden"
          onClick={() => setNavOpen(false)}
        />
      )}

      <aside
        id="app-sidebar"
        aria-label="Sidebar"
        className={cx(
          "fixed inset-y-0 left-0 z-40 flex w-64 shrink-0 flex-col border-r border-zinc-200 bg-white transition-transform dark:border-zinc-800 dark:bg-zinc-900",
          "lg:sticky lg:top-0 lg:h-dvh lg:translate-x-0",
          navOpen ? "translate-x-0" : "max-lg:invisible max-lg:-translate-x-full",
        )}
      >
        <div className="border-b border-zinc-200 px-4 py-4 dark:border-zinc-800">
          <Link
            href={routes.projects()}
            className={cx("flex items-center gap-2 rounded font-semibold tracking-tight", focusRing)}
          >
            <span
              aria-hidden="true"
              className="flex size-7 items-center justify-center rounded-md bg-accent-600 text-sm text-white"
            >
              ⚑
            </span>
            Flagpost
          </Link>
          <p className="mt-2 truncate text-xs text-zinc-500 dark:text-zinc-400">
            <span className="sr-only">Organisation: </span>
            {organisationName ?? "\u00a0"}
          </p>
        </div>

        <div className="flex-1 space-y-5 overflow-y-auto px-3 py-4">
          <div className="space-y-3 px-1">
            <ProjectSwitcher projectId={projectId} />
            {projectId !== undefined && (
              <Suspense>
                <EnvironmentSwitcher projectId={projectId} apiKey={environmentKey} />
              </Suspense>
            )}
          </div>
          <SidebarNav projectId={projectId} featuresHref={featuresHref} />
        </div>

        <div className="border-t border-zinc-200 p-2 dark:border-zinc-800">
          <UserMenu user={user} />
        </div>
      </aside>

      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-20 flex h-14 items-center gap-3 border-b border-zinc-200 bg-white/90 px-4 backdrop-blur sm:px-6 dark:border-zinc-800 dark:bg-zinc-900/90">
          <Button
            variant="ghost"
            size="sm"
            className="lg:hidden"
            aria-controls="app-sidebar"
            aria-expanded={navOpen}
            onClick={() => setNavOpen((open) => !open)}
          >
            Menu
          </Button>
          <Breadcrumbs />
        </header>
        <main
          id="main"
          tabIndex={-1}
          className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 focus:outline-none sm:px-6 lg:px-8"
        >
          {children}
        </main>
      </div>
    </div>
  );
}
