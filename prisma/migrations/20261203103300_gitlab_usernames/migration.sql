-- AlterTable
ALTER TABLE "release_rule_firings" ADD COLUMN     "actor_user_id" INTEGER;

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "gitlab_username" TEXT;
