import { withRoute } from "@/lib/api/with-route";
import { completeFirstRunSetup, hasAnyUser } from "@/lib/auth/accounts";
import { firstRunSetupBody } from "@/lib/validations/core";

// GET /api/v1/setup/ – public: whether first-run setup is still open
export const GET = withRoute({ auth: "none" }, async () => ({ needs_setup: !(await hasAnyUser()) }));

// POST /api/v1/setup/ – public, only while no user exists: the first administrator
export const POST = withRoute({ auth: "none", body: firstRunSetupBody, status: 201 }, async ({ body }) => {
  const { user, organisation } = await completeFirstRunSetup({
    email: body.email,
    password: body.password,
    name: body.name,
    organisationName: body.organisation_name,
  });
  return {
    user: { id: user.id, email: user.email, name: user.name },
    organisation: { id: organisation.id, name: organisation.name },
  };
});
