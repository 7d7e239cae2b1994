import { withRoute } from "@/lib/api/with-route";
import { describeActor } from "@/lib/auth/me";
import { updateMe } from "@/lib/organisations/gitlab-usernames";
import { updateMeBody } from "@/lib/validations/gitlab-username";

// GET /api/v1/me/ – the caller (user or API key) with their organisations and projects
export const GET = withRoute({}, async ({ actor }) => describeActor(actor));

// PATCH /api/v1/me/ – the signed-in person's own settings: `{gitlab_username}` (null clears it)
export const PATCH = withRoute({ body: updateMeBody }, async ({ actor, body }) => {
  await updateMe(actor, body);
  return describeActor(actor);
});
