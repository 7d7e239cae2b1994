-- Jobs name a generic pause group instead of a GitLab integration (lib/jobs knows no provider).
-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "group_key" TEXT;

UPDATE "jobs" SET "group_key" = 'gitlab-integration:' || "integration_id" WHERE "integration_id" IS NOT NULL;

-- DropIndex
DROP INDEX "jobs_integration_id_status_idx";

-- AlterTable
ALTER TABLE "jobs" DROP COLUMN "integration_id";

-- CreateIndex
CREATE INDEX "jobs_group_key_status_idx" ON "jobs"("group_key", "status");
