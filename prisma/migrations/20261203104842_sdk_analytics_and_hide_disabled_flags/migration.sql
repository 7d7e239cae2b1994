-- AlterTable
ALTER TABLE "projects" ADD COLUMN     "hide_disabled_flags" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "flag_evaluation_counts" (
    "environment_id" INTEGER NOT NULL,
    "feature_id" INTEGER NOT NULL,
    "day" DATE NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "flag_evaluation_counts_pkey" PRIMARY KEY ("environment_id","feature_id","day")
);

-- CreateIndex
CREATE INDEX "flag_evaluation_counts_feature_id_idx" ON "flag_evaluation_counts"("feature_id");

-- AddForeignKey
ALTER TABLE "flag_evaluation_counts" ADD CONSTRAINT "flag_evaluation_counts_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flag_evaluation_counts" ADD CONSTRAINT "flag_evaluation_counts_feature_id_fkey" FOREIGN KEY ("feature_id") REFERENCES "features"("id") ON DELETE CASCADE ON UPDATE CASCADE;
