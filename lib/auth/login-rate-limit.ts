import "server-only";
import { randomUUID } from "node:crypto";
import { prisma } from "@/lib/db/client";

// Sign-in throttling kept in the database, so it holds across several app instances. Each key (the
// client address, then the account) grants a free budget of password checks; past it, one check
// per growing delay (1 s, 2 s, 4 s … capped at 60 s). A refused attempt neither checks the
// password nor lengthens the delay, so the owner typing the right password gets in after the
// current delay, however hard someone else hammers. A key quiet for 15 minutes starts over; a
// successful sign-in resets its account. Each attempt is ONE atomic upsert per key (the row lock
// serialises parallel attempts), so 40 parallel tries get exactly the budget's worth of checks.

const QUIET_RESET_MS = 15 * 60 * 1000;
export const LOGIN_BUDGET = { address: 30, account: 10 } as const;
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;

export type LoginGate = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;

/**
 * Takes one attempt from `key`: granted when under the budget or the delay has passed (then the
 * next delay is set), else refused with the time left. Old values are read in the upsert's SET
 * (the locked row), and whether this call was granted comes back as its own grant id.
 */
async function takeAttempt(key: string, budget: number, now: Date): Promise<LoginGate> {
  const grant = randomUUID();
  const [row] = await prisma.$queryRaw<{ granted: boolean; next_allowed_at: Date }[]>`
    INSERT INTO login_throttles AS t (key, attempts, next_allowed_at, last_attempt_at, grant_id)
    VALUES (${key}, 1, ${now}::timestamptz, ${now}::timestamptz, ${grant})
    ON CONFLICT (key) DO UPDATE SET
      attempts = CASE
        WHEN t.last_attempt_at <= ${now}::timestamptz - make_interval(secs => ${QUIET_RESET_MS / 1000}) THEN 1
        WHEN t.attempts < ${budget} OR t.next_allowed_at <= ${now}::timestamptz THEN t.attempts + 1
        ELSE t.attempts END,
      grant_id = CASE
        WHEN t.last_attempt_at <= ${now}::timestamptz - make_interval(secs => ${QUIET_RESET_MS / 1000})
          OR t.attempts < ${budget} OR t.next_allowed_at <= ${now}::timestamptz THEN ${grant}
        ELSE t.grant_id END,
      -- The check that uses up the budget, and each one after it, sets the wait before the next:
      -- 1 s after the budget's last check, doubling up to the cap.
      next_allowed_at = CASE
        WHEN t.last_attempt_at <= ${now}::timestamptz - make_interval(secs => ${QUIET_RESET_MS / 1000}) THEN ${now}::timestamptz
        WHEN t.attempts + 1 >= ${budget} AND (t.attempts < ${budget} OR t.next_allowed_at <= ${now}::timestamptz)
          THEN ${now}::timestamptz + make_interval(secs => LEAST(${MAX_DELAY_MS / 1000}::float8,
            ${FIRST_DELAY_MS / 1000}::float8 * power(2, LEAST(t.attempts + 1 - ${budget}, 30))))
        ELSE t.next_allowed_at END,
      last_attempt_at = GREATEST(t.last_attempt_at, ${now}::timestamptz)
    RETURNING grant_id = ${grant} AS granted, next_allowed_at`;
  if (!row || row.granted) return { allowed: true };
  return {
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((row.next_allowed_at.getTime() - now.getTime()) / 1000)),
  };
}

/**
 * Whether this sign-in attempt may check the password. The address goes first so an address
 * spraying many accounts spends its own budget, not theirs; `address` is null when unknown.
 */
export async function takeLoginAttempt(
  email: string,
  address: string | null,
  now: Date = new Date(),
): Promise<LoginGate> {
  if (address) {
    const byAddress = await takeAttempt(addressKey(address), LOGIN_BUDGET.address, now);
    if (!byAddress.allowed) return byAddress;
  }
  return takeAttempt(accountKey(email), LOGIN_BUDGET.account, now);
}

/** After a correct password: the account starts over (its address keeps counting). */
export async function loginSucceeded(email: string): Promise<void> {
  await prisma.loginThrottle.deleteMany({ where: { key: accountKey(email) } });
  if (Math.random() < 0.01) {
    await prisma.loginThrottle.deleteMany({
      where: { lastAttemptAt: { lt: new Date(Date.now() - QUIET_RESET_MS) } },
    });
  }
}
