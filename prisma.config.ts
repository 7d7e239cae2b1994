import { defineConfig } from "prisma/config";

// Used by `prisma generate`. Migrations are applied by Flagpost itself (lib/db/migrate.ts) and
// created offline by `npm run db:migration -- <name>`; both keep Prisma's folder layout and
// `_prisma_migrations` table, so `prisma migrate deploy` agrees wherever its engine is available.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
