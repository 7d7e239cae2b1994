-- AlterTable
ALTER TABLE "gitlab_integrations" ADD COLUMN     "gitlab_access_level" INTEGER;
