import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { requirePageUser } from "@/lib/auth/session";

// Every signed-in page sits in the shell. Pages still check the session themselves.
export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  return <AppShell user={{ name: user.name, email: user.email }}>{children}</AppShell>;
}
