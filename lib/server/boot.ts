import "server-only";
import { checkServerSecret, SecretKeyError } from "@/lib/crypto/server-secrets";
import { ensureDatabase } from "@/lib/db/client";
import { startEmbeddedMaintenance } from "@/lib/db/embedded-maintenance";
import { EmbeddedDatabaseBusyError } from "@/lib/db/embedded-lock";
import { DatabaseUnreachableError } from "@/lib/db/open-database";
import { env, EnvError } from "@/lib/env";
import { startDeliveryDrainer } from "@/lib/gitlab/webhooks/drain-deliveries";
import { startJobRunner } from "@/lib/jobs/runner";
import { logger } from "@/lib/logger";
import { installPeerAddressStamp } from "@/lib/server/peer-address";
import { registerProviders } from "@/lib/server/providers";
import { installShutdownHandlers } from "@/lib/server/shutdown";
import { registerServingShutdown } from "@/lib/serving/serving-shutdown";

// Server start-up (called from instrumentation.ts): validate configuration, open the database and
// apply pending migrations before the first request. Problems end the process with one clear line.

function fail(message: string): never {
  process.stderr.write(`flagpost: ${message}\n`);
  process.exit(1);
}

export async function bootServer(): Promise<void> {
  try {
    env();
  } catch (error) {
    if (error instanceof EnvError) fail(error.message);
    throw error;
  }
  try {
    checkServerSecret(logger.warn);
  } catch (error) {
    if (error instanceof SecretKeyError) fail(error.message);
    throw error;
  }
  process.env.NEXTAUTH_URL ??= env().FLAGPOST_PUBLIC_URL;
  // Before any request: the connection's address, for sign-in throttling.
  installPeerAddressStamp();
  // Before any request: audit subscribers and job handlers of the VCS providers.
  registerProviders();
  // Buffered SDK writes (traits, analytics) are written before the process exits.
  registerServingShutdown();
  installShutdownHandlers();
  try {
    const db = await ensureDatabase();
    logger.info("Flagpost is ready", { database: db.description, url: env().FLAGPOST_PUBLIC_URL });
    startJobRunner();
    // GitLab webhook deliveries a crash left accepted but not yet applied.
    startDeliveryDrainer();
    // PGlite has no autovacuum.
    startEmbeddedMaintenance();
  } catch (error) {
    if (error instanceof DatabaseUnreachableError || error instanceof EmbeddedDatabaseBusyError)
      fail(error.message);
    fail(`could not open the database: ${error instanceof Error ? error.message : String(error)}`);
  }
}
