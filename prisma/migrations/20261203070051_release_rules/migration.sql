-- CreateEnum
CREATE TYPE "ReleaseTrigger" AS ENUM ('MERGED', 'CLOSED', 'CLOSED_UNMERGED');

-- CreateEnum
CREATE TYPE "ReleaseAction" AS ENUM ('ENABLE', 'DISABLE', 'SET_VALUE');

-- CreateEnum
CREATE TYPE "ReleaseFiringStatus" AS ENUM ('PENDING', 'DONE', 'CANCELLED', 'SKIPPED');

-- AlterTable
ALTER TABLE "gitlab_integrations" ADD COLUMN     "commands_enabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "release_rules_enabled" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "release_rules" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "feature_id" INTEGER NOT NULL,
    "external_resource_id" INTEGER NOT NULL,
    "trigger" "ReleaseTrigger" NOT NULL,
    "action" "ReleaseAction" NOT NULL,
    "value_type" "ValueType",
    "value" TEXT,
    "environment_ids" INTEGER[],
    "delay_seconds" INTEGER NOT NULL DEFAULT 0,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "release_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "release_rule_firings" (
    "id" SERIAL NOT NULL,
    "rule_id" INTEGER NOT NULL,
    "project_id" INTEGER NOT NULL,
    "feature_id" INTEGER NOT NULL,
    "transition_key" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "status" "ReleaseFiringStatus" NOT NULL DEFAULT 'PENDING',
    "run_at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT,
    "finished_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "release_rule_firings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "release_rules_feature_id_idx" ON "release_rules"("feature_id");

-- CreateIndex
CREATE INDEX "release_rules_external_resource_id_idx" ON "release_rules"("external_resource_id");

-- CreateIndex
CREATE INDEX "release_rule_firings_project_id_status_run_at_idx" ON "release_rule_firings"("project_id", "status", "run_at");

-- CreateIndex
CREATE UNIQUE INDEX "release_rule_firings_rule_id_transition_key_key" ON "release_rule_firings"("rule_id", "transition_key");

-- AddForeignKey
ALTER TABLE "release_rules" ADD CONSTRAINT "release_rules_feature_id_fkey" FOREIGN KEY ("feature_id") REFERENCES "features"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "release_rules" ADD CONSTRAINT "release_rules_external_resource_id_fkey" FOREIGN KEY ("external_resource_id") REFERENCES "external_resources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "release_rule_firings" ADD CONSTRAINT "release_rule_firings_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "release_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE;
