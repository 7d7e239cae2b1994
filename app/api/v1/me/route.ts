import { withRoute } from "@/lib/api/with-route";
import { describeActor } from "@/lib/auth/me";

// GET /api/v1/me/ – the caller (user or API key) with their organisations and projects
export const GET = withRoute({}, async ({ actor }) => describeActor(actor));
