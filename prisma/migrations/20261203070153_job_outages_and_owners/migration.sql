-- AlterTable
ALTER TABLE "gitlab_integrations" ADD COLUMN     "unreachable_since" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "outage_retries" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "jobs_project_id_idx" ON "jobs"("project_id");

-- Jobs left behind by deleted projects and deleted GitLab integrations would wait forever: drop them
-- (a live integration's group key is 'gitlab-integration:<id>').
DELETE FROM "jobs" j
WHERE (j."project_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "projects" p WHERE p."id" = j."project_id"))
   OR (j."group_key" LIKE 'gitlab-integration:%' AND NOT EXISTS (
         SELECT 1 FROM "gitlab_integrations" g
         WHERE 'gitlab-integration:' || g."id" = j."group_key" AND g."deleted_at" IS NULL));

-- AddForeignKey
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
