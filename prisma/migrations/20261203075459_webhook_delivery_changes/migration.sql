-- AlterTable
ALTER TABLE "webhook_deliveries" ADD COLUMN     "changes" JSONB;
