import "server-only";
import { prisma } from "@/lib/db/client";

// Sign-in throttling kept in the database, so it holds across several app instances: at most
// 10 failed attempts per email and 30 per client address in 15 minutes.

const WINDOW_MS = 15 * 60 * 1000;
const LIMITS = { email: 10, ip: 30 } as const;

function keys(email: string, ip: string | null) {
  const list: { key: string; limit: number }[] = [
    { key: `email:${email.toLowerCase()}`, limit: LIMITS.email },
  ];
  if (ip) list.push({ key: `ip:${ip}`, limit: LIMITS.ip });
  return list;
}

/** Seconds to wait when the sign-in must be refused, or 0 when it may go ahead. */
export async function loginRetryAfterSeconds(
  email: string,
  ip: string | null,
  now = new Date(),
): Promise<number> {
  const since = new Date(now.getTime() - WINDOW_MS);
  for (const { key, limit } of keys(email, ip)) {
    const failures = await prisma.loginAttempt.findMany({
      where: { key, succeeded: false, createdAt: { gte: since } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
      take: limit,
    });
    if (failures.length >= limit) {
      const oldest = failures[0]!.createdAt.getTime();
      return Math.max(1, Math.ceil((oldest + WINDOW_MS - now.getTime()) / 1000));
    }
  }
  return 0;
}

export async function recordLoginAttempt(
  email: string,
  ip: string | null,
  succeeded: boolean,
): Promise<void> {
  await prisma.loginAttempt.createMany({ data: keys(email, ip).map(({ key }) => ({ key, succeeded })) });
  if (Math.random() < 0.01) {
    await prisma.loginAttempt.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - WINDOW_MS) } } });
  }
}
