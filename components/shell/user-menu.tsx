"use client";

import { signOut } from "next-auth/react";
import { Menu } from "@/components/ui/menu";
import { routes } from "@/lib/client/routes";

export interface ShellUser {
  name: string;
  email: string;
}

function initials(user: ShellUser) {
  const source = user.name.trim() || user.email;
  return source
    .split(/[\s@.]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join("");
}

export function UserMenu({ user }: { user: ShellUser }) {
  return (
    <Menu
      placement="above"
      triggerLabel={`Account menu for ${user.name || user.email}`}
      header={<>Signed in as {user.email}</>}
      trigger={
        <>
          <span
            aria-hidden="true"
            className="flex size-8 shrink-0 items-center justify-center rounded-full bg-accent-600 text-xs font-semibold text-white"
          >
            {initials(user)}
          </span>
          <span className="min-w-0 text-sm">
            <span className="block truncate font-medium">{user.name || user.email}</span>
            {user.name && (
              <span className="block truncate text-xs text-zinc-500 dark:text-zinc-400">{user.email}</span>
            )}
          </span>
        </>
      }
      items={[
        { id: "account", label: "Your account", href: routes.account() },
        { id: "organisation", label: "Organisation settings", href: routes.organisationSettings() },
        { id: "projects", label: "All projects", href: routes.projects() },
        {
          id: "sign-out",
          label: "Sign out",
          tone: "danger",
          onSelect: () => void signOut({ callbackUrl: routes.login() }),
        },
      ]}
    />
  );
}
