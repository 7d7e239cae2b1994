import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { authorizeSignIn, SIGN_IN_RATE_LIMITED } from "@/lib/auth/auth-options";
import { LOGIN_BUDGET, takeLoginAttempt } from "@/lib/auth/login-rate-limit";
import { prisma } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { installPeerAddressStamp, PEER_ADDRESS_HEADER } from "@/lib/server/peer-address";
import { seedOrganisation } from "@/tests/support/api";

// Sign-in throttling end to end: a real HTTP server with the boot-time peer-address stamp in front
// of the credentials check next-auth calls, so the address comes from the socket as in production
// and whatever a client puts in X-Forwarded-For or our internal header is ignored. (next-auth's
// route handler itself needs Next.js's request context, so it is not called here.)

let server: http.Server;
let base: string;

beforeAll(async () => {
  installPeerAddressStamp();
  // The part of next-auth that matters here: the request's headers, as next-auth hands them to
  // the credentials check (a plain object of the incoming headers).
  server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const credentials = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, string>;
    try {
      const user = await authorizeSignIn(credentials, { ...request.headers });
      response.writeHead(user ? 200 : 401).end();
    } catch (error) {
      response.writeHead((error as Error).message === SIGN_IN_RATE_LIMITED ? 429 : 500).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  delete process.env.FLAGPOST_TRUSTED_PROXIES;
  resetEnvForTests();
});

beforeEach(async () => {
  // The throttle's clock stands still unless a test moves it, so a slow machine cannot let a
  // delay pass between two attempts (only Date is faked: sockets and timers run as usual).
  vi.useFakeTimers({ toFake: ["Date"], now: new Date("2030-06-01T12:00:00Z") });
  await prisma.loginThrottle.deleteMany();
  delete process.env.FLAGPOST_TRUSTED_PROXIES;
  resetEnvForTests();
});

type SignIn = "signed-in" | "wrong" | "rate-limited";

/** One credentials sign-in over HTTP from 127.0.0.1, with whatever headers the client chooses. */
async function signIn(
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<SignIn> {
  const response = await fetch(base, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ email, password }),
  });
  const outcome = ({ 200: "signed-in", 401: "wrong", 429: "rate-limited" } as const)[response.status as 200];
  expect(outcome, `HTTP ${response.status}`).toBeDefined();
  return outcome;
}

const count = (results: SignIn[], kind: SignIn) => results.filter((result) => result === kind).length;

async function waitForAccountDelay(email: string) {
  const row = await prisma.loginThrottle.findUniqueOrThrow({ where: { key: `account:${email}` } });
  vi.setSystemTime(row.nextAllowedAt);
}

describe("sign-in throttling", () => {
  it("counts the socket's address: rotating X-Forwarded-For or forging the internal header gets no extra tries", async () => {
    const results: SignIn[] = [];
    for (let attempt = 0; attempt < LOGIN_BUDGET.address + 5; attempt++) {
      // A different account each time, so only the address budget can stop it.
      results.push(
        await signIn(`nobody${attempt}@example.com`, "guess", {
          "x-forwarded-for": `203.0.113.${attempt + 1}`,
          "x-real-ip": `198.51.100.${attempt + 1}`,
          [PEER_ADDRESS_HEADER]: `192.0.2.${attempt + 1}`,
        }),
      );
    }
    expect(count(results, "wrong")).toBe(LOGIN_BUDGET.address);
    expect(count(results, "rate-limited")).toBe(5);
    const keys = (await prisma.loginThrottle.findMany({ where: { key: { startsWith: "address:" } } })).map(
      (row) => row.key,
    );
    expect(keys).toEqual(["address:127.0.0.1"]);
  });

  it("counts 40 parallel attempts exactly: the budget's worth are granted, no more", async () => {
    // One instant for all 40, so no delay can pass meanwhile: only atomic counting gives exactly 10.
    const now = new Date();
    const gates = await Promise.all(
      Array.from({ length: 40 }, () => takeLoginAttempt("parallel@example.com", "192.0.2.1", now)),
    );
    expect(gates.filter((gate) => gate.allowed)).toHaveLength(LOGIN_BUDGET.account);
    const throttled = await prisma.loginThrottle.findMany({ orderBy: { key: "asc" } });
    expect(throttled.map((row) => [row.key, row.attempts])).toEqual([
      ["account:parallel@example.com", LOGIN_BUDGET.account],
      ["address:192.0.2.1", LOGIN_BUDGET.address],
    ]);
  });

  it("checks no more passwords than the budget when 40 sign-ins arrive at once", async () => {
    const { admin } = await seedOrganisation();
    const results = await Promise.all(
      Array.from({ length: 40 }, () => signIn(admin.email, "wrong password")),
    );
    expect(count(results, "wrong")).toBe(LOGIN_BUDGET.account);
    expect(count(results, "rate-limited")).toBe(40 - LOGIN_BUDGET.account);
  });

  it("slows the owner down after someone else's failures but lets the right password in after the delay", async () => {
    const { admin } = await seedOrganisation();
    for (let attempt = 0; attempt < LOGIN_BUDGET.account; attempt++) {
      expect(await signIn(admin.email, `guess ${attempt}`)).toBe("wrong");
    }
    expect(await signIn(admin.email, "correct horse battery")).toBe("rate-limited");
    // Refused attempts do not lengthen the wait: hammering cannot keep the owner out.
    const before = await prisma.loginThrottle.findUniqueOrThrow({ where: { key: `account:${admin.email}` } });
    for (let attempt = 0; attempt < 5; attempt++)
      expect(await signIn(admin.email, "guess")).toBe("rate-limited");
    const after = await prisma.loginThrottle.findUniqueOrThrow({ where: { key: `account:${admin.email}` } });
    expect(after.nextAllowedAt).toEqual(before.nextAllowedAt);

    await waitForAccountDelay(admin.email);
    expect(await signIn(admin.email, "correct horse battery")).toBe("signed-in");
    // Signing in starts the account over.
    expect(await signIn(admin.email, "correct horse battery")).toBe("signed-in");
  });

  it("believes X-Forwarded-For from a proxy listed in FLAGPOST_TRUSTED_PROXIES", async () => {
    process.env.FLAGPOST_TRUSTED_PROXIES = "10.9.0.0/16, 127.0.0.1";
    resetEnvForTests();
    const results: SignIn[] = [];
    for (let attempt = 0; attempt < LOGIN_BUDGET.address + 5; attempt++) {
      // Clients behind the proxy: each its own address (a spoofed left-most entry is not believed).
      results.push(
        await signIn(`user${attempt}@example.com`, "guess", {
          "x-forwarded-for": `6.6.6.6, 203.0.113.${attempt + 1}, 10.9.1.1`,
        }),
      );
    }
    expect(count(results, "rate-limited")).toBe(0);
    const row = await prisma.loginThrottle.findUniqueOrThrow({ where: { key: "address:203.0.113.7" } });
    expect(row.attempts).toBe(1);
    expect(await prisma.loginThrottle.count({ where: { key: "address:6.6.6.6" } })).toBe(0);
    expect(await prisma.loginThrottle.count({ where: { key: "address:127.0.0.1" } })).toBe(0);
  });

  it("grows the delay past the budget and starts over after a quiet quarter of an hour", async () => {
    const email = "growing@example.com";
    const start = new Date("2030-01-01T00:00:00Z");
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    for (let attempt = 0; attempt < LOGIN_BUDGET.account; attempt++) {
      expect((await takeLoginAttempt(email, null, start)).allowed).toBe(true);
    }
    expect(await takeLoginAttempt(email, null, start)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect((await takeLoginAttempt(email, null, at(1))).allowed).toBe(true);
    expect(await takeLoginAttempt(email, null, at(1))).toEqual({ allowed: false, retryAfterSeconds: 2 });
    expect((await takeLoginAttempt(email, null, at(3))).allowed).toBe(true);
    expect(await takeLoginAttempt(email, null, at(3))).toEqual({ allowed: false, retryAfterSeconds: 4 });
    expect((await takeLoginAttempt(email, null, at(3 + 15 * 60))).allowed).toBe(true);
    expect((await takeLoginAttempt(email, null, at(3 + 15 * 60))).allowed).toBe(true);
  });
});
