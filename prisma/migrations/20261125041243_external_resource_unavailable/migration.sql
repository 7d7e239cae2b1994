-- AlterTable
ALTER TABLE "external_resources" ADD COLUMN     "unavailable_at" TIMESTAMPTZ(3);
