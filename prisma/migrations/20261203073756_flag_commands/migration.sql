-- CreateEnum
CREATE TYPE "FlagCommandStatus" AS ENUM ('PENDING', 'APPLIED', 'REFUSED');

-- AlterTable
ALTER TABLE "gitlab_integrations" ADD COLUMN     "command_roles" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "commands_ignore_internal" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "commands_on_confidential" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "flag_commands" (
    "id" SERIAL NOT NULL,
    "project_id" INTEGER NOT NULL,
    "integration_id" INTEGER NOT NULL,
    "note_id" INTEGER NOT NULL,
    "gitlab_project_id" INTEGER NOT NULL,
    "type" "ExternalResourceType" NOT NULL,
    "iid" INTEGER NOT NULL,
    "discussion_id" TEXT,
    "author_id" INTEGER NOT NULL,
    "author_username" TEXT NOT NULL,
    "line" TEXT NOT NULL,
    "status" "FlagCommandStatus" NOT NULL DEFAULT 'PENDING',
    "result" TEXT,
    "reply_note_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "flag_commands_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "flag_commands_integration_id_gitlab_project_id_type_iid_cre_idx" ON "flag_commands"("integration_id", "gitlab_project_id", "type", "iid", "created_at");

-- CreateIndex
CREATE INDEX "flag_commands_integration_id_author_id_created_at_idx" ON "flag_commands"("integration_id", "author_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "flag_commands_integration_id_note_id_key" ON "flag_commands"("integration_id", "note_id");
