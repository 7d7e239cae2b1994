// npm run bench:dispatch [-- --postgres] [--items N]
// One feature linked to 100 issues spread over 4 GitLab projects (in-process GitLab simulator).
// The status notes are created first (phase "link", reported apart). Then the flag is toggled
// through the real domain function and the server's own in-process worker runs it, debounce
// included; the bench prints the time until all notes show the final state, the GitLab requests
// made (by method) and the duplicates found, then does the same again with the simulator
// answering 429 (Retry-After: 1) to 20% of requests. Exits non-zero on any duplicate or any note
// left stale.
import { performance } from "node:perf_hooks";
import { openBenchDatabase, prepareBenchEnv } from "./lib/in-process-bench";

const args = process.argv.slice(2);
const usePostgres = args.includes("--postgres");
const itemsArg = args.indexOf("--items");
const ITEMS = itemsArg >= 0 ? Math.max(1, Number(args[itemsArg + 1]) || 100) : 100;
const GITLAB_PROJECTS = 4;
const TIMEOUT_MS = 120_000;

const dataDir = prepareBenchEnv("dispatch", { worker: true });

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main() {
  const { startGitLabSimulator } = await import("@/tools/gitlab-sim/server");
  const { DEMO_TOKENS } = await import("@/tools/gitlab-sim/seed");
  const { prisma } = await import("@/lib/db/client");
  const { encryptSecret } = await import("@/lib/crypto/secret-box");
  const { createApiKey } = await import("@/lib/auth/api-keys");
  const { resolveActor } = await import("@/lib/auth/actor");
  const { env } = await import("@/lib/env");
  const { createFeature } = await import("@/lib/flags/features");
  const { updateFeatureState } = await import("@/lib/flags/feature-states");
  const { queueStatusNoteSyncs } = await import("@/lib/gitlab/notes/status-note-outbox");
  (await import("@/lib/server/providers")).registerProviders();
  const { kickJobRunner, startJobRunner, stopJobRunner } = await import("@/lib/jobs/runner");
  const { hasNoteMarker } = await import("@/lib/vcs/status-comment");

  const database = await openBenchDatabase(dataDir, usePostgres);
  const gl = await startGitLabSimulator({ port: 0 });
  let failed = false;

  try {
    // GitLab: the demo data set plus 4 projects holding the linked issues.
    const seed = gl.sim.seedDemo();
    const bot = gl.sim.tokenInfo(DEMO_TOKENS.maintainer);
    const items: { gitlabProjectId: number; path: string; iid: number }[] = [];
    for (let n = 1; n <= GITLAB_PROJECTS; n++) {
      const projectPath = `acme/bench/service-${n}`;
      const id = gl.sim.createProject({ path_with_namespace: projectPath, name: `Service ${n}` });
      for (let i = n; i <= ITEMS; i += GITLAB_PROJECTS) {
        const issue = gl.sim.createIssue(id, { title: `Roll out step ${i}`, author_id: seed.users.alice });
        items.push({ gitlabProjectId: id, path: projectPath, iid: issue.iid as number });
      }
    }

    // Flagpost: a project with two environments, a connected integration, one feature linked to
    // every issue (link rows written directly: linking itself is bench:links's business).
    const organisation = await prisma.organisation.create({ data: { name: "Bench" } });
    const { key } = await createApiKey(organisation.id, "bench");
    const actor = (await resolveActor(new Headers({ authorization: `Api-Key ${key}` })))!;
    const project = await prisma.project.create({ data: { name: "Bench", organisationId: organisation.id } });
    const environments = await Promise.all(
      ["Development", "Production"].map((name, index) =>
        prisma.environment.create({ data: { projectId: project.id, name, apiKey: `bench-env-${index}` } }),
      ),
    );
    await prisma.gitLabIntegration.create({
      data: {
        projectId: project.id,
        liveProjectId: project.id,
        instanceUrl: gl.url,
        encryptedToken: encryptSecret(DEMO_TOKENS.maintainer),
        encryptedWebhookSecret: encryptSecret("bench"),
        tokenUserId: bot.user_id,
        tokenUsername: bot.username,
      },
    });
    const feature = await createFeature(actor, project.id, {
      name: "new_checkout",
      description: "The new checkout flow",
      default_enabled: false,
      tags: [],
    });
    await prisma.externalResource.createMany({
      data: items.map((item) => ({
        featureId: feature.id,
        type: "GITLAB_ISSUE" as const,
        iid: item.iid,
        gitlabProjectId: item.gitlabProjectId,
        gitlabProjectPath: item.path,
        url: `${gl.url}/${item.path}/-/issues/${item.iid}`,
        title: "(bench)",
      })),
    });
    const production = await prisma.featureState.findUniqueOrThrow({
      where: { featureId_environmentId: { featureId: feature.id, environmentId: environments[1]!.id } },
    });

    const notesOf = (item: (typeof items)[number]) =>
      gl.sim
        .notes(item.gitlabProjectId, "issue", item.iid)
        .filter((note) => !note.system && hasNoteMarker(note.body as string, feature.id));
    const shows = (value: string) => (item: (typeof items)[number]) =>
      notesOf(item).some((note) => (note.body as string).includes(value));
    const duplicates = () => items.filter((item) => notesOf(item).length > 1).length;
    const byMethod = () => {
      const counts = new Map<string, number>();
      for (const request of gl.sim.requests()) {
        const key = `${request.method}${request.status === 429 ? " (429)" : ""}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return [...counts.entries()]
        .sort()
        .map(([method, count]) => `${method} ${count}`)
        .join(", ");
    };
    async function until(done: () => boolean): Promise<number> {
      const started = performance.now();
      while (!done()) {
        if (performance.now() - started > TIMEOUT_MS)
          throw new Error(`Not every note was right after ${TIMEOUT_MS / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return performance.now() - started;
    }

    // The server's worker, as bootServer starts it; kicked after each change as with-route does.
    startJobRunner();
    console.log(
      `bench:dispatch — 1 feature linked to ${items.length} issues over ${GITLAB_PROJECTS} GitLab projects, ${database.label}, debounce ${env().FLAGPOST_JOB_DEBOUNCE_MS} ms`,
    );

    gl.sim.clearRequests();
    const linkStart = performance.now();
    // What a change to the feature queues (one job per linked item); with no note yet, each job creates it.
    await prisma.$transaction((tx) =>
      queueStatusNoteSyncs(tx, {
        organisationId: organisation.id,
        projectId: project.id,
        featureId: feature.id,
        action: "UPDATE",
        entityType: "feature_state",
        entityId: production.id,
        summary: "bench",
      }),
    );
    kickJobRunner();
    await until(() => items.every((item) => notesOf(item).length > 0));
    console.log(
      `  link phase (notes created): ${seconds(performance.now() - linkStart)}; GitLab requests: ${byMethod()}; duplicates: ${duplicates()}`,
    );

    let value = 0;
    async function toggleAndWait(label: string) {
      value += 1;
      const wanted = `\`run-${value}\``;
      gl.sim.clearRequests();
      const started = performance.now();
      await updateFeatureState(actor, environments[1]!.apiKey, production.id, {
        enabled: value % 2 === 1,
        feature_state_value: `run-${value}`,
      });
      kickJobRunner();
      await until(() => items.every(shows(wanted)));
      const elapsed = performance.now() - started;
      const found = duplicates();
      console.log(
        `  ${label}: all ${items.length} notes final ${seconds(elapsed)} after the change (${seconds(elapsed - env().FLAGPOST_JOB_DEBOUNCE_MS)} after the debounce); GitLab requests: ${byMethod()}; duplicates: ${found}`,
      );
      if (found > 0) failed = true;
    }

    await toggleAndWait("toggle");
    gl.sim.injectFault({ status: 429, probability: 0.2, count: -1, retryAfter: 1 });
    await toggleAndWait("toggle, 20% of requests answered 429 (Retry-After: 1)");
    gl.sim.clearFaults();

    const stale = items.filter((item) => notesOf(item).length !== 1).length;
    if (failed || stale > 0) {
      console.error(`FAIL: ${stale} item(s) without exactly one note, duplicates found: ${failed}`);
      process.exitCode = 1;
    }
  } finally {
    await stopJobRunner();
    await gl.close();
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
