import "server-only";
import { applyFiringJob, applyReleaseFiring } from "@/lib/release-rules/firings";
import { registerJobHandler } from "@/lib/jobs/registry";

// Release rules are provider-neutral: their job handler is registered at boot next to the providers
// that fire them (lib/server/providers.ts). Idempotent.

export function registerReleaseRules(): void {
  registerJobHandler(applyFiringJob, applyReleaseFiring);
}
