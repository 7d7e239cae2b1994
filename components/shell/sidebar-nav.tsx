"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/button";
import { routes } from "@/lib/client/routes";

interface NavItem {
  label: string;
  href: string;
  isActive: (pathname: string) => boolean;
  children?: NavItem[];
}

function projectNav(projectId: number, featuresHref: string): NavItem[] {
  const base = `/projects/${projectId}`;
  const exact = (href: string) => (pathname: string) => pathname === href;
  const under = (href: string) => (pathname: string) => pathname === href || pathname.startsWith(`${href}/`);
  return [
    {
      label: "Features",
      href: featuresHref,
      isActive: (pathname) => /^\/projects\/\d+\/environments\/[^/]+\/features/.test(pathname),
    },
    {
      label: "Stale flags",
      href: routes.staleFlags(projectId),
      isActive: under(routes.staleFlags(projectId)),
    },
    {
      label: "Scheduled changes",
      href: routes.scheduledChanges(projectId),
      isActive: under(routes.scheduledChanges(projectId)),
    },
    {
      label: "Identities",
      href: featuresHref.replace(/\/features$/, "/identities"),
      isActive: (pathname) => /^\/projects\/\d+\/environments\/[^/]+\/identities/.test(pathname),
    },
    { label: "Segments", href: routes.segments(projectId), isActive: under(routes.segments(projectId)) },
    {
      label: "Environments",
      href: routes.environments(projectId),
      isActive: exact(routes.environments(projectId)),
    },
    { label: "Audit log", href: routes.auditLog(projectId), isActive: under(routes.auditLog(projectId)) },
    {
      label: "Settings",
      href: routes.settings(projectId),
      isActive: () => false,
      children: [
        { label: "General", href: routes.settings(projectId), isActive: exact(`${base}/settings`) },
        { label: "Members", href: routes.members(projectId), isActive: under(routes.members(projectId)) },
        {
          label: "Integrations",
          href: routes.integrations(projectId),
          isActive: under(routes.integrations(projectId)),
        },
      ],
    },
  ];
}

const organisationNav: NavItem[] = [
  { label: "Projects", href: routes.projects(), isActive: (pathname) => pathname === routes.projects() },
  {
    label: "Organisation settings",
    href: routes.organisationSettings(),
    isActive: (pathname) => pathname.startsWith(routes.organisationSettings()),
  },
];

function NavLink({ item, pathname, nested }: { item: NavItem; pathname: string; nested?: boolean }) {
  const active = item.isActive(pathname);
  return (
    <Link
      href={item.href}
      aria-current={active ? "page" : undefined}
      className={cx(
        "flex items-center rounded-md px-2.5 py-1.5 text-sm",
        nested && "pl-5",
        active
          ? "bg-accent-50 font-medium text-accent-700 dark:bg-accent-950 dark:text-accent-200"
          : "text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-zinc-100",
        focusRing,
      )}
    >
      {item.label}
    </Link>
  );
}

export function SidebarNav({
  projectId,
  featuresHref,
}: {
  projectId: number | undefined;
  featuresHref: string;
}) {
  const pathname = usePathname();
  const items = projectId === undefined ? organisationNav : projectNav(projectId, featuresHref);
  return (
    <nav aria-label={projectId === undefined ? "Organisation" : "Project"}>
      <ul className="space-y-0.5">
        {items.map((item) => (
          <li key={item.label}>
            {item.children ? (
              <>
                <p className="px-2.5 pt-3 pb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
                  {item.label}
                </p>
                <ul className="space-y-0.5" aria-label={item.label}>
                  {item.children.map((child) => (
                    <li key={child.label}>
                      <NavLink item={child} pathname={pathname} nested />
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              <NavLink item={item} pathname={pathname} />
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
