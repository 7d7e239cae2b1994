-- AlterTable
ALTER TABLE "status_notes" ADD COLUMN     "integration_id" INTEGER,
ADD COLUMN     "last_change_id" BIGINT,
ADD COLUMN     "posting_change_id" BIGINT;
