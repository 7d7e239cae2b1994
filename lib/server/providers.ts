import "server-only";
import { registerGitLab } from "@/lib/gitlab/register";
import { registerServingInvalidation } from "@/lib/serving/invalidation";
import { registerReleaseRules } from "@/lib/release-rules/register";

// The one place where VCS providers plug into the generic parts (job handlers and groups, audit
// subscribers). Called by the server at boot, the standalone worker, benchmarks and test set-up;
// a second provider (GitHub) adds its register call here.

export function registerProviders(): void {
  registerGitLab();
  // SDK snapshots follow every audited change (NOTIFY in the change's transaction).
  registerServingInvalidation();
  registerReleaseRules();
}
