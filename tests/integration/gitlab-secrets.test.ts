import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEMO_TOKENS, type DemoSeed } from "@/tools/gitlab-sim/seed";
import { startGitLabSimulator, type GitLabSimulator } from "@/tools/gitlab-sim/server";
import { ACCESS_LEVEL } from "@/tools/gitlab-sim/types";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { prisma } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import type { CallResult } from "@/tests/support/api";
import { seedOrganisation } from "@/tests/support/api";
import { browse, createProject, gitlabApi } from "@/tests/support/gitlab";

// The access token goes in once and never comes out: not in answers (success or error), log
// output, audit rows, job rows, or the database row in plain text.

let gl: GitLabSimulator;
let seed: DemoSeed;
const output: string[] = [];
const answers: string[] = [];

const text = (value: unknown) =>
  JSON.stringify(value, (_key, inner) => (typeof inner === "bigint" ? inner.toString() : inner));

function keep(result: CallResult) {
  answers.push(
    JSON.stringify({ status: result.status, body: result.body, headers: [...result.headers.entries()] }),
  );
  return result;
}

beforeAll(async () => {
  process.env.FLAGPOST_LOG_LEVEL = "debug";
  resetEnvForTests();
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, "write").mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      output.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
  gl = await startGitLabSimulator({ port: 0 });
  seed = gl.sim.seedDemo();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await gl.close();
});

describe("the GitLab access token", () => {
  it("never appears in answers, errors, logs, audit rows, job rows or the stored row", async () => {
    const { apiKey, organisation } = await seedOrganisation();
    const admin = { apiKey };
    const project = await createProject(organisation.id);
    const wrong = "glpat-wrong-token-0123456789";
    const shortLived = gl.sim.createToken({
      name: "short-lived",
      scopes: ["api"],
      projects: [{ id: seed.projectId, access_level: ACCESS_LEVEL.developer }],
    });
    const tokens = [
      DEMO_TOKENS.maintainer,
      DEMO_TOKENS.reporter,
      DEMO_TOKENS.readonly,
      DEMO_TOKENS.expired,
      wrong,
      shortLived.value,
    ];

    // Refusals, whose messages talk about the token.
    for (const token of [wrong, DEMO_TOKENS.readonly, DEMO_TOKENS.expired]) {
      expect(
        keep(await gitlabApi.create(admin, project.id, { gitlab_instance_url: gl.url, access_token: token }))
          .status,
      ).toBe(400);
    }
    // A working connection, a webhook, a rotation that fails and two that succeed.
    const created = keep(
      await gitlabApi.create(admin, project.id, {
        gitlab_instance_url: gl.url,
        access_token: DEMO_TOKENS.maintainer,
        gitlab_project_id: seed.projectId,
        tagging_enabled: true,
      }),
    );
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    expect(keep(await gitlabApi.registerWebhook(admin, project.id, id)).status).toBe(201);
    expect(keep(await gitlabApi.update(admin, project.id, id, { access_token: wrong })).status).toBe(400);
    expect(
      keep(await gitlabApi.update(admin, project.id, id, { access_token: DEMO_TOKENS.reporter })).status,
    ).toBe(200);
    expect(
      keep(await gitlabApi.update(admin, project.id, id, { access_token: shortLived.value })).status,
    ).toBe(200);
    keep(await gitlabApi.get(admin, project.id, id));
    keep(await gitlabApi.list(admin, project.id));

    // Browsing through GitLab failures, and a token GitLab stops accepting.
    gl.sim.injectFault({ status: 500, pathPattern: "^/projects$" });
    expect(keep(await browse(admin, project.id, "projects")).status).toBe(502);
    gl.sim.injectFault({ status: 429, retryAfter: 30, pathPattern: "/issues$" });
    expect(keep(await browse(admin, project.id, "issues")).status).toBe(503);
    gl.sim.revokeToken(shortLived.value);
    expect(keep(await browse(admin, project.id, "merge-requests")).status).toBe(400);

    // The stored row holds the token sealed, not in clear.
    const stored = await prisma.gitLabIntegration.findUniqueOrThrow({ where: { id } });
    expect(stored.encryptedToken).toMatch(/^v1\./);
    expect(decryptSecret(stored.encryptedToken)).toBe(shortLived.value);
    const rawRows = text(await prisma.$queryRaw`SELECT * FROM gitlab_integrations`);

    // Delete while GitLab fails to remove the hook: the warning is logged.
    gl.sim.injectFault({ status: 500, method: "DELETE", pathPattern: "/hooks/" });
    expect(keep(await gitlabApi.remove(admin, project.id, id)).status).toBe(204);
    expect(output.join("")).toMatch(/Could not remove the GitLab webhook/);

    const audit = text(await prisma.auditLog.findMany({ where: { projectId: project.id } }));
    const jobs = text(await prisma.$queryRaw`SELECT * FROM jobs`);
    const sources = { answers: answers.join("\n"), logs: output.join(""), audit, jobs, rawRows };
    for (const token of tokens) {
      for (const [where, content] of Object.entries(sources)) {
        expect(content.includes(token), `${where} contains a token`).toBe(false);
      }
    }
    // The webhook secret is shown to admins, but never written to logs or the audit trail.
    const secret = created.body.webhook_secret as string;
    expect(
      sources.logs.includes(secret) || sources.audit.includes(secret) || sources.rawRows.includes(secret),
    ).toBe(false);
    expect(answers.length).toBeGreaterThan(10);
    expect(JSON.parse(audit).length).toBeGreaterThanOrEqual(5);
  });
});
