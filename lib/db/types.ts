import "server-only";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

/** Either the process client or an interactive transaction; domain helpers accept both. */
export type Db = PrismaClient | Prisma.TransactionClient;
