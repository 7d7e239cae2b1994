-- AlterTable
ALTER TABLE "features" ADD COLUMN     "cleanup_issue_claimed_until" TIMESTAMPTZ(3);
