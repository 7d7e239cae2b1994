import { encode } from "next-auth/jwt";
import { expect } from "vitest";
import { sessionSecret } from "@/lib/auth/auth-options";
import { createApiKey } from "@/lib/auth/api-keys";
import { createAdmin } from "@/lib/auth/accounts";
import { hashPassword } from "@/lib/auth/password";
import { prisma } from "@/lib/db/client";
import type { ProjectRole } from "@/lib/generated/prisma/client";

// Calls route handlers exactly as Next.js does (a Request plus a params promise) and seeds the
// people and keys tests act as.

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface CallOptions {
  params?: Record<string, string | number>;
  body?: unknown;
  /** Raw body text, sent as-is (for malformed JSON tests). */
  rawBody?: string;
  headers?: Record<string, string>;
  apiKey?: string;
}

export interface CallResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export const BASE_URL = "http://localhost:3000";

/** "?a=1&b=2" from the defined values, "" when there are none. */
export function queryString(values: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams(
    Object.entries(values).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]])),
  ).toString();
  return search ? `?${search}` : "";
}

export async function call<T = any>(
  handler: Handler,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.apiKey) headers.authorization = `Api-Key ${options.apiKey}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const req = new Request(`${BASE_URL}${path}`, { method, headers, body });
  const params = Object.fromEntries(
    Object.entries(options.params ?? {}).map(([key, value]) => [key, String(value)]),
  );
  const res = await handler(req, { params: Promise.resolve(params) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** Asserts the error envelope and returns its code. */
export function expectError(result: CallResult, status: number, code?: string) {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  expect(result.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  if (code) expect(result.body.error.code).toBe(code);
  expect(JSON.stringify(result.body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
  return result.body.error.code as string;
}

let counter = 0;

/** An organisation with an admin user and an API key (acting as organisation admin). */
export async function seedOrganisation() {
  counter += 1;
  const { user, organisation } = await createAdmin(
    {
      email: `admin${counter}-${Date.now()}@example.com`,
      password: "correct horse battery",
      organisationName: `Org ${counter}`,
    },
    { onlyIfFirst: false, newOrganisation: true },
  );
  const { key } = await createApiKey(organisation.id, `test key ${counter}`);
  return { admin: user, organisation, apiKey: key };
}

/** A user with a role on one project (and plain membership of its organisation). */
export async function seedProjectMember(organisationId: number, projectId: number, role: ProjectRole) {
  counter += 1;
  const user = await prisma.user.create({
    data: {
      email: `member${counter}-${Date.now()}@example.com`,
      passwordHash: await hashPassword("correct horse battery"),
    },
  });
  await prisma.organisationMember.create({ data: { organisationId, userId: user.id, role: "MEMBER" } });
  await prisma.projectMember.create({ data: { projectId, userId: user.id, role } });
  return user;
}

/** Headers of a browser request from a signed-in user (session cookie plus same-origin Origin). */
export async function sessionHeaders(userId: number): Promise<Record<string, string>> {
  const token = await encode({ token: { sub: String(userId) }, secret: sessionSecret() });
  return { cookie: `next-auth.session-token=${token}`, origin: BASE_URL };
}
