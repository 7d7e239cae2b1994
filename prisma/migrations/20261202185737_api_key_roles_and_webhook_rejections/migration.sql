-- CreateEnum
CREATE TYPE "ApiKeyRole" AS ENUM ('READ_ONLY', 'EDITOR', 'ADMIN');

-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "role" "ApiKeyRole" NOT NULL DEFAULT 'ADMIN';

-- CreateTable
CREATE TABLE "webhook_rejections" (
    "id" BIGSERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "integration_id" INTEGER NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "last_reason" TEXT,
    "last_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "webhook_rejections_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "webhook_rejections_project_id_window_start_idx" ON "webhook_rejections"("project_id", "window_start");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_rejections_integration_id_window_start_key" ON "webhook_rejections"("integration_id", "window_start");
