import { ITEM_LABEL_JOB, syncItemLabel } from "@/lib/gitlab/link-labels";
import type { JobHandlers } from "@/lib/jobs/worker";

// Every kind of background job Flagpost runs, by name. Jobs carry ids only; each handler reloads
// what it needs, so a job that runs late works on current data.
export const jobHandlers: JobHandlers = {
  [ITEM_LABEL_JOB]: syncItemLabel,
};
