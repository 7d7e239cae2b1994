// Next.js calls register() once when the server starts, before it handles requests.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { bootServer } = await import("@/lib/server/boot");
    await bootServer();
  }
}
