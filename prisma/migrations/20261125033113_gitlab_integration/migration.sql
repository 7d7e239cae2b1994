-- CreateEnum
CREATE TYPE "CommentStyle" AS ENUM ('STATUS_NOTE', 'PER_CHANGE');

-- CreateEnum
CREATE TYPE "TokenStatus" AS ENUM ('VALID', 'INVALID');

-- CreateEnum
CREATE TYPE "ExternalResourceType" AS ENUM ('GITLAB_ISSUE', 'GITLAB_MR');

-- CreateEnum
CREATE TYPE "JobStatus" AS ENUM ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "DeliveryResult" AS ENUM ('APPLIED', 'IGNORED', 'DUPLICATE', 'REJECTED', 'ERROR');

-- CreateTable
CREATE TABLE "gitlab_integrations" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "live_project_id" INTEGER,
    "instance_url" TEXT NOT NULL,
    "encrypted_token" TEXT NOT NULL,
    "encrypted_webhook_secret" TEXT NOT NULL,
    "gitlab_project_id" INTEGER,
    "gitlab_project_path" TEXT,
    "tagging_enabled" BOOLEAN NOT NULL DEFAULT false,
    "comment_style" "CommentStyle" NOT NULL DEFAULT 'STATUS_NOTE',
    "token_name" TEXT,
    "token_scopes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "token_expires_at" DATE,
    "token_user_id" INTEGER,
    "token_username" TEXT,
    "token_user_is_bot" BOOLEAN NOT NULL DEFAULT false,
    "token_status" "TokenStatus" NOT NULL DEFAULT 'VALID',
    "token_status_reason" TEXT,
    "token_checked_at" TIMESTAMPTZ(3),
    "gitlab_hook_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "gitlab_integrations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "external_resources" (
    "id" SERIAL NOT NULL,
    "feature_id" INTEGER NOT NULL,
    "type" "ExternalResourceType" NOT NULL,
    "url" TEXT NOT NULL,
    "gitlab_project_id" INTEGER NOT NULL,
    "gitlab_project_path" TEXT NOT NULL,
    "iid" INTEGER NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "state" TEXT NOT NULL DEFAULT 'opened',
    "draft" BOOLEAN NOT NULL DEFAULT false,
    "labels" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "assignees" JSONB NOT NULL DEFAULT '[]',
    "author" JSONB,
    "gitlab_updated_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "metadata_refreshed_at" TIMESTAMPTZ(3),
    "is_cleanup_issue" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "external_resources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "status_notes" (
    "id" SERIAL NOT NULL,
    "feature_id" INTEGER NOT NULL,
    "project_id" INTEGER NOT NULL,
    "type" "ExternalResourceType" NOT NULL,
    "gitlab_project_id" INTEGER NOT NULL,
    "iid" INTEGER NOT NULL,
    "note_id" INTEGER,
    "finalised_at" TIMESTAMPTZ(3),
    "body_hash" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "status_notes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "jobs" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "project_id" INTEGER,
    "integration_id" INTEGER,
    "status" "JobStatus" NOT NULL DEFAULT 'PENDING',
    "pending_key" TEXT,
    "concurrency_key" TEXT,
    "run_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "first_queued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL DEFAULT 8,
    "locked_by" TEXT,
    "locked_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "integration_id" INTEGER,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "event" TEXT,
    "action" TEXT,
    "object_kind" TEXT,
    "item_ref" TEXT,
    "idempotency_key" TEXT,
    "dedupe_key" TEXT,
    "result" "DeliveryResult" NOT NULL,
    "reason" TEXT,
    "http_status" INTEGER NOT NULL,
    "body" TEXT,
    "duration_ms" INTEGER,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "gitlab_integrations_live_project_id_key" ON "gitlab_integrations"("live_project_id");

-- CreateIndex
CREATE INDEX "gitlab_integrations_project_id_idx" ON "gitlab_integrations"("project_id");

-- CreateIndex
CREATE INDEX "external_resources_gitlab_project_id_type_iid_idx" ON "external_resources"("gitlab_project_id", "type", "iid");

-- CreateIndex
CREATE UNIQUE INDEX "external_resources_feature_id_gitlab_project_id_type_iid_key" ON "external_resources"("feature_id", "gitlab_project_id", "type", "iid");

-- CreateIndex
CREATE INDEX "status_notes_project_id_idx" ON "status_notes"("project_id");

-- CreateIndex
CREATE UNIQUE INDEX "status_notes_feature_id_gitlab_project_id_type_iid_key" ON "status_notes"("feature_id", "gitlab_project_id", "type", "iid");

-- CreateIndex
CREATE UNIQUE INDEX "jobs_pending_key_key" ON "jobs"("pending_key");

-- CreateIndex
CREATE INDEX "jobs_status_run_at_idx" ON "jobs"("status", "run_at");

-- CreateIndex
CREATE INDEX "jobs_concurrency_key_status_idx" ON "jobs"("concurrency_key", "status");

-- CreateIndex
CREATE INDEX "jobs_integration_id_status_idx" ON "jobs"("integration_id", "status");

-- CreateIndex
CREATE INDEX "jobs_finished_at_idx" ON "jobs"("finished_at");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_dedupe_key_key" ON "webhook_deliveries"("dedupe_key");

-- CreateIndex
CREATE INDEX "webhook_deliveries_project_id_received_at_idx" ON "webhook_deliveries"("project_id", "received_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_project_id_result_received_at_idx" ON "webhook_deliveries"("project_id", "result", "received_at");

-- AddForeignKey
ALTER TABLE "gitlab_integrations" ADD CONSTRAINT "gitlab_integrations_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "external_resources" ADD CONSTRAINT "external_resources_feature_id_fkey" FOREIGN KEY ("feature_id") REFERENCES "features"("id") ON DELETE CASCADE ON UPDATE CASCADE;
