// Next.js calls register() once when the server starts, before it handles requests. `next build`
// calls it too (in the workers that prerender pages): a build must not open the database, read or
// create the secret key, or create the data directory, so start-up runs only when serving.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    const { bootServer } = await import("@/lib/server/boot");
    await bootServer();
  }
}
