import "server-only";
import { after } from "next/server";
import { kickJobRunner } from "@/lib/jobs/runner";

/** After the response is sent, let this instance's worker pick up any work the request queued. */
export function kickJobsAfterResponse(): void {
  try {
    after(() => kickJobRunner());
  } catch {
    // Outside a Next.js request (tests, CLI): the periodic sweep or an explicit drain handles it.
  }
}
