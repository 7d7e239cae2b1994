// Demo data set: group `acme` with ~40 projects (2+ pages at per_page=20), a nested
// `acme/platform/flags-demo` with issues/tasks/MRs in every state, human members and demo tokens.
import type { SimulatorControl } from "./control";
import { ACCESS_LEVEL } from "./types";
import { todayDate } from "./util";

export const DEMO_TOKENS = {
  /** `api`, group access token on `acme` with Maintainer: sees and manages every acme project. */
  maintainer: "glpat-flagpost-demo-maintainer",
  /** `read_api`, project access token on flags-demo (Developer). */
  readonly: "glpat-flagpost-demo-readonly",
  /** `api`, expired yesterday. */
  expired: "glpat-flagpost-demo-expired",
  /** `api`, project access token on flags-demo with Reporter. */
  reporter: "glpat-flagpost-demo-reporter",
} as const;

export const DEMO_PROJECT_PATH = "acme/platform/flags-demo";
/** Created first, so it sits on the last page of `GET /projects`: find it by search. */
export const DEMO_SEARCH_ONLY_PROJECT_PATH = "acme/billing/checkout-service";
export const DEMO_PRIVATE_PROJECT_PATH = "globex/secret-plans";
const DEMO_PUBLIC_PROJECT_PATH = "oss/public-sandbox";

export interface DemoSeed {
  projectId: number;
  projectPath: string;
  searchOnlyProjectId: number;
  privateProjectId: number;
  publicProjectId: number;
  acmeProjectCount: number;
  users: { alice: number; bob: number; carol: number; dave: number };
  tokens: typeof DEMO_TOKENS;
  botUsernames: Record<keyof typeof DEMO_TOKENS, string>;
}

const OTHER_PROJECTS: [string, string][] = [
  ["acme/platform/api-gateway", "API Gateway"],
  ["acme/platform/auth-service", "Auth Service"],
  ["acme/platform/config-store", "Config Store"],
  ["acme/platform/event-bus", "Event Bus"],
  ["acme/platform/observability", "Observability"],
  ["acme/platform/rate-limiter", "Rate Limiter"],
  ["acme/platform/scheduler", "Scheduler"],
  ["acme/platform/secrets-vault", "Secrets Vault"],
  ["acme/web/storefront", "Storefront"],
  ["acme/web/admin-console", "Admin Console"],
  ["acme/web/design-system", "Design System"],
  ["acme/web/marketing-site", "Marketing Site"],
  ["acme/web/docs-portal", "Docs Portal"],
  ["acme/mobile/ios-app", "iOS App"],
  ["acme/mobile/android-app", "Android App"],
  ["acme/mobile/mobile-sdk", "Mobile SDK"],
  ["acme/data/etl-pipelines", "ETL Pipelines"],
  ["acme/data/warehouse", "Warehouse"],
  ["acme/data/ml-models", "ML Models"],
  ["acme/data/reporting", "Reporting"],
  ["acme/billing/invoicing", "Invoicing"],
  ["acme/billing/payments-gateway", "Payments Gateway"],
  ["acme/billing/tax-engine", "Tax Engine"],
  ["acme/billing/subscriptions", "Subscriptions"],
  ["acme/infra/terraform-modules", "Terraform Modules"],
  ["acme/infra/k8s-manifests", "K8s Manifests"],
  ["acme/infra/ci-templates", "CI Templates"],
  ["acme/infra/dns-config", "DNS Config"],
  ["acme/support/helpdesk-bot", "Helpdesk Bot"],
  ["acme/support/status-page", "Status Page"],
  ["acme/security/dependency-scanner", "Dependency Scanner"],
  ["acme/security/audit-log", "Audit Log"],
  ["acme/tools/release-tools", "Release Tools"],
  ["acme/tools/dev-containers", "Dev Containers"],
  ["acme/handbook", "Handbook"],
];

/** Resets the simulator and loads the demo data set. */
export function seedDemo(sim: SimulatorControl): DemoSeed {
  sim.reset();
  const alice = sim.createUser({ username: "alice", name: "Alice Maintainer" });
  const bob = sim.createUser({ username: "bob", name: "Bob Developer" });
  const carol = sim.createUser({ username: "carol", name: "Carol Reporter" });
  const dave = sim.createUser({ username: "dave", name: "Dave Outsider" });

  sim.createGroup({ path: "acme", name: "Acme" });
  sim.createGroup({ path: "acme/platform", name: "Platform" });
  sim.createGroup({ path: "acme/billing", name: "Billing" });
  sim.addGroupMember("acme", alice, ACCESS_LEVEL.maintainer);
  sim.addGroupMember("acme", bob, ACCESS_LEVEL.developer);
  sim.addGroupMember("acme", carol, ACCESS_LEVEL.reporter);

  const searchOnlyProjectId = sim.createProject({
    path_with_namespace: DEMO_SEARCH_ONLY_PROJECT_PATH,
    name: "Checkout Service",
    description: "Cart, checkout and order placement.",
  });
  for (const [path, name] of OTHER_PROJECTS) {
    sim.createProject({ path_with_namespace: path, name, description: `${name} for Acme.` });
  }
  const projectId = sim.createProject({
    path_with_namespace: DEMO_PROJECT_PATH,
    name: "Flags Demo",
    description: "Demo project for the Flagpost GitLab integration.",
  });

  const privateProjectId = sim.createProject({
    path_with_namespace: DEMO_PRIVATE_PROJECT_PATH,
    name: "Secret Plans",
  });
  sim.addMember(privateProjectId, dave, ACCESS_LEVEL.owner);
  const publicProjectId = sim.createProject({
    path_with_namespace: DEMO_PUBLIC_PROJECT_PATH,
    name: "Public Sandbox",
    visibility: "public",
    description: "A public project anyone can see.",
  });

  const maintainer = sim.createToken({
    value: DEMO_TOKENS.maintainer,
    name: "Flagpost",
    scopes: ["api"],
    groups: [{ id: "acme", access_level: ACCESS_LEVEL.maintainer }],
  });
  const readonly = sim.createToken({
    value: DEMO_TOKENS.readonly,
    name: "Flagpost read-only",
    scopes: ["read_api"],
    projects: [{ id: projectId, access_level: ACCESS_LEVEL.developer }],
  });
  const expired = sim.createToken({
    value: DEMO_TOKENS.expired,
    name: "Flagpost expired",
    scopes: ["api"],
    expires_at: todayDate(-1),
    projects: [{ id: projectId, access_level: ACCESS_LEVEL.maintainer }],
  });
  const reporter = sim.createToken({
    value: DEMO_TOKENS.reporter,
    name: "Flagpost reporter",
    scopes: ["api"],
    projects: [{ id: projectId, access_level: ACCESS_LEVEL.reporter }],
  });

  for (const [name, color, description] of [
    ["bug", "#d9534f", "Something is broken"],
    ["feature", "#428bca", "New functionality"],
    ["feature-flag", "#8E44AD", "Behind a feature flag"],
    ["backend", "#5cb85c", null],
    ["frontend", "#f0ad4e", null],
  ] as const) {
    sim.createLabel(projectId, { name, color, description });
  }

  sim.createIssue(projectId, {
    title: "Roll out the new checkout flow behind a flag",
    description: "Gate the new checkout behind `new_checkout` and ramp up to 100%.",
    labels: ["feature", "backend"],
    assignee_ids: [bob],
    author_id: alice,
  });
  sim.createIssue(projectId, {
    title: "Remove the legacy pricing flag",
    description: "The `legacy_pricing` flag has been at 100% for months.",
    labels: ["feature-flag"],
    state: "closed",
    author_id: bob,
  });
  sim.createIssue(projectId, {
    title: "Clean up stale flags",
    description: "Task: archive flags untouched for 90 days.",
    issue_type: "task",
    author_id: alice,
  });
  sim.createIssue(projectId, {
    title: "Flag evaluation leaks user ids in logs",
    description: "Confidential security report.",
    confidential: true,
    labels: ["bug"],
    author_id: carol,
  });
  sim.createIssue(projectId, {
    title: "Flag service outage on 2026-01-12",
    issue_type: "incident",
    state: "closed",
    author_id: alice,
  });
  sim.createIssue(projectId, {
    title: "Add audit trail for flag toggles",
    labels: ["feature"],
    author_id: carol,
  });
  sim.createIssue(projectId, {
    title: "Dark-mode toggle flickers",
    labels: ["bug", "frontend"],
    author_id: bob,
  });

  sim.createMergeRequest(projectId, {
    title: "Add flag evaluation endpoint",
    source_branch: "feature/flag-evaluation",
    labels: ["feature", "backend"],
    author_id: bob,
    reviewer_ids: [alice],
  });
  sim.createMergeRequest(projectId, {
    title: "Experiment with percentage rollouts",
    draft: true,
    source_branch: "spike/percentage-rollout",
    author_id: bob,
  });
  sim.createMergeRequest(projectId, {
    title: "Introduce the feature flag SDK",
    source_branch: "feature/sdk",
    state: "merged",
    labels: ["feature"],
    author_id: alice,
  });
  sim.createMergeRequest(projectId, {
    title: "Cache flags in Redis",
    source_branch: "feature/redis-cache",
    state: "closed",
    author_id: bob,
  });

  sim.createIssue(searchOnlyProjectId, {
    title: "Checkout button double-submits",
    labels: [],
    author_id: alice,
  });

  return {
    projectId,
    projectPath: DEMO_PROJECT_PATH,
    searchOnlyProjectId,
    privateProjectId,
    publicProjectId,
    acmeProjectCount: OTHER_PROJECTS.length + 2,
    users: { alice, bob, carol, dave },
    tokens: DEMO_TOKENS,
    botUsernames: {
      maintainer: maintainer.username,
      readonly: readonly.username,
      expired: expired.username,
      reporter: reporter.username,
    },
  };
}
