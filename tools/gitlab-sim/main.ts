// `npm run gitlab-sim`: starts the GitLab simulator with the demo data set.
//   GITLAB_SIM_PORT (default 4010), GITLAB_SIM_HOST (default 127.0.0.1), GITLAB_SIM_BASE_PATH (e.g. /gitlab),
//   GITLAB_SIM_QUIET=1 prints a single line instead of the banner.
import { DEMO_PROJECT_PATH, DEMO_TOKENS } from "./seed";
import { type GitLabSimulator, startGitLabSimulator } from "./server";

const port = Number.parseInt(process.env.GITLAB_SIM_PORT ?? "4010", 10);
const host = process.env.GITLAB_SIM_HOST ?? "127.0.0.1";
const basePath = process.env.GITLAB_SIM_BASE_PATH ?? "";

// Handlers go in first so a signal during start-up still stops the process cleanly.
let simulator: GitLabSimulator | undefined = undefined;
let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal} received, stopping the GitLab simulator…`);
  await simulator?.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));

simulator = await startGitLabSimulator({ port, host, basePath, seed: true });
const projectId = simulator.sim.store.findProject(DEMO_PROJECT_PATH)?.id;

const quiet = process.env.GITLAB_SIM_QUIET === "1";
if (quiet) console.log(`GitLab simulator listening on ${simulator.url}`);
else
  console.log(`
GitLab simulator (GitLab ${simulator.sim.store.version} REST API v4) listening

  Instance URL:  ${simulator.url}
  API:           ${simulator.url}/api/v4
  Control API:   ${simulator.url}/_sim   (GET it for the list of routes; tools/gitlab-sim/README.md explains them)

Demo tokens:
  ${DEMO_TOKENS.maintainer.padEnd(34)} api, Maintainer on every acme project (group token)
  ${DEMO_TOKENS.reporter.padEnd(34)} api, Reporter on ${DEMO_PROJECT_PATH}
  ${DEMO_TOKENS.readonly.padEnd(34)} read_api only
  ${DEMO_TOKENS.expired.padEnd(34)} expired

Paste into Flagpost (Project settings → GitLab integration):
  GitLab instance URL:  ${simulator.url}
  Access token:         ${DEMO_TOKENS.maintainer}
  GitLab project:       ${DEMO_PROJECT_PATH} (id ${projectId})
  Set GITLAB_ALLOW_PRIVATE_NETWORK=true so Flagpost may call a loopback GitLab.

Try: curl -H "PRIVATE-TOKEN: ${DEMO_TOKENS.maintainer}" "${simulator.url}/api/v4/projects/${encodeURIComponent(DEMO_PROJECT_PATH)}/issues"
Webhooks Flagpost registers are delivered to its URL; inspect them at ${simulator.url}/_sim/deliveries
Ctrl+C to stop.
`);
