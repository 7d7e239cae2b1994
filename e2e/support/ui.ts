import fs from "node:fs";
import path from "node:path";
import type { APIRequestContext, Page } from "@playwright/test";
import { expect } from "./test";
import { uniqueName } from "./constants";

// Helpers of the UI specs: the two widths the admin UI is tried at, screenshots kept under
// e2e/artifacts/ (written on every run, gitignored), and projects set up through the API.

export const WIDTHS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

export type Width = (typeof WIDTHS)[number];

/** Saves a full-page screenshot as e2e/artifacts/<name>-<width>.png and returns its path. */
export async function keepScreenshot(page: Page, name: string, width: Width): Promise<string> {
  const file = path.join("e2e", "artifacts", `${name}-${width.width}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** No part of the page is wider than the screen (nothing to scroll sideways). */
export async function expectNoHorizontalOverflow(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, "the page scrolls sideways").toBeLessThanOrEqual(0);
}

/** The element is inside the viewport horizontally. */
export async function expectInsideViewport(page: Page, selector: ReturnType<Page["locator"]>) {
  const box = await selector.boundingBox();
  const viewport = page.viewportSize()!;
  expect(box, "the element is laid out").not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
}

export interface UiProject {
  projectId: number;
  environments: { id: number; api_key: string; name: string }[];
  envApiKey: string;
}

/** A project with Development and Production, made through the API as the signed-in admin. */
export async function createProject(
  request: APIRequestContext,
  origin: string,
  prefix = "UI",
): Promise<UiProject> {
  const project = await request.post("/api/v1/projects/", {
    data: { name: uniqueName(prefix), create_default_environments: true },
    headers: { origin },
  });
  expect(project.status(), await project.text()).toBe(201);
  const projectId = ((await project.json()) as { id: number }).id;
  const environments = (
    (await (await request.get(`/api/v1/environments/?project=${projectId}`)).json()) as {
      results: { id: number; api_key: string; name: string }[];
    }
  ).results;
  return { projectId, environments, envApiKey: environments[0]!.api_key };
}

export async function createFeature(
  request: APIRequestContext,
  origin: string,
  projectId: number,
  name = uniqueName("flag"),
): Promise<{ id: number; name: string }> {
  const feature = await request.post(`/api/v1/projects/${projectId}/features/`, {
    data: { name },
    headers: { origin },
  });
  expect(feature.status(), await feature.text()).toBe(201);
  return { id: ((await feature.json()) as { id: number }).id, name };
}

export const featuresPath = (project: UiProject, envApiKey = project.envApiKey) =>
  `/projects/${project.projectId}/environments/${envApiKey}/features`;
export const featurePath = (
  project: UiProject,
  featureId: number,
  tab?: string,
  envApiKey = project.envApiKey,
) => `${featuresPath(project, envApiKey)}/${featureId}${tab ? `?tab=${tab}` : ""}`;
