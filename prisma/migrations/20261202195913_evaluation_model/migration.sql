-- CreateEnum
CREATE TYPE "TraitValueType" AS ENUM ('STRING', 'INTEGER', 'FLOAT', 'BOOLEAN');

-- CreateEnum
CREATE TYPE "MultivariateType" AS ENUM ('UNICODE', 'INT', 'BOOL');

-- AlterTable
ALTER TABLE "segments" ADD COLUMN     "legacy_rules" JSONB;

-- CreateTable
CREATE TABLE "identities" (
    "id" SERIAL NOT NULL,
    "environment_id" INTEGER NOT NULL,
    "identifier" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3),

    CONSTRAINT "identities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "traits" (
    "id" SERIAL NOT NULL,
    "identity_id" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "value_type" "TraitValueType" NOT NULL,
    "value" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "traits_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity_overrides" (
    "id" SERIAL NOT NULL,
    "identity_id" INTEGER NOT NULL,
    "feature_id" INTEGER NOT NULL,
    "environment_id" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "value_type" "ValueType" NOT NULL DEFAULT 'STRING',
    "value" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "identity_overrides_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "multivariate_options" (
    "id" SERIAL NOT NULL,
    "feature_id" INTEGER NOT NULL,
    "type" "MultivariateType" NOT NULL DEFAULT 'UNICODE',
    "string_value" TEXT,
    "integer_value" INTEGER,
    "boolean_value" BOOLEAN,
    "default_percentage_allocation" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "multivariate_options_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "multivariate_allocations" (
    "id" SERIAL NOT NULL,
    "option_id" INTEGER NOT NULL,
    "feature_state_id" INTEGER,
    "segment_override_id" INTEGER,
    "identity_override_id" INTEGER,
    "percentage_allocation" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "multivariate_allocations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "server_keys" (
    "id" SERIAL NOT NULL,
    "environment_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "server_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "identities_environment_id_identifier_key" ON "identities"("environment_id", "identifier");

-- CreateIndex
CREATE UNIQUE INDEX "traits_identity_id_key_key" ON "traits"("identity_id", "key");

-- CreateIndex
CREATE INDEX "identity_overrides_environment_id_feature_id_idx" ON "identity_overrides"("environment_id", "feature_id");

-- CreateIndex
CREATE INDEX "identity_overrides_feature_id_idx" ON "identity_overrides"("feature_id");

-- CreateIndex
CREATE UNIQUE INDEX "identity_overrides_identity_id_feature_id_key" ON "identity_overrides"("identity_id", "feature_id");

-- CreateIndex
CREATE INDEX "multivariate_options_feature_id_idx" ON "multivariate_options"("feature_id");

-- CreateIndex
CREATE INDEX "multivariate_allocations_option_id_idx" ON "multivariate_allocations"("option_id");

-- CreateIndex
CREATE UNIQUE INDEX "multivariate_allocations_feature_state_id_option_id_key" ON "multivariate_allocations"("feature_state_id", "option_id");

-- CreateIndex
CREATE UNIQUE INDEX "multivariate_allocations_segment_override_id_option_id_key" ON "multivariate_allocations"("segment_override_id", "option_id");

-- CreateIndex
CREATE UNIQUE INDEX "multivariate_allocations_identity_override_id_option_id_key" ON "multivariate_allocations"("identity_override_id", "option_id");

-- CreateIndex
CREATE UNIQUE INDEX "server_keys_key_hash_key" ON "server_keys"("key_hash");

-- CreateIndex
CREATE INDEX "server_keys_environment_id_idx" ON "server_keys"("environment_id");

-- AddForeignKey
ALTER TABLE "identities" ADD CONSTRAINT "identities_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "traits" ADD CONSTRAINT "traits_identity_id_fkey" FOREIGN KEY ("identity_id") REFERENCES "identities"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity_overrides" ADD CONSTRAINT "identity_overrides_identity_id_fkey" FOREIGN KEY ("identity_id") REFERENCES "identities"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity_overrides" ADD CONSTRAINT "identity_overrides_feature_id_fkey" FOREIGN KEY ("feature_id") REFERENCES "features"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity_overrides" ADD CONSTRAINT "identity_overrides_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "multivariate_options" ADD CONSTRAINT "multivariate_options_feature_id_fkey" FOREIGN KEY ("feature_id") REFERENCES "features"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "multivariate_allocations" ADD CONSTRAINT "multivariate_allocations_option_id_fkey" FOREIGN KEY ("option_id") REFERENCES "multivariate_options"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "multivariate_allocations" ADD CONSTRAINT "multivariate_allocations_feature_state_id_fkey" FOREIGN KEY ("feature_state_id") REFERENCES "feature_states"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "multivariate_allocations" ADD CONSTRAINT "multivariate_allocations_segment_override_id_fkey" FOREIGN KEY ("segment_override_id") REFERENCES "segment_overrides"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "multivariate_allocations" ADD CONSTRAINT "multivariate_allocations_identity_override_id_fkey" FOREIGN KEY ("identity_override_id") REFERENCES "identity_overrides"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "server_keys" ADD CONSTRAINT "server_keys_environment_id_fkey" FOREIGN KEY ("environment_id") REFERENCES "environments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Segments created before rules were structured: keep their blob in legacy_rules, start them with
-- an empty rule set, and say so in the audit log (one row per segment), so nothing changes silently.
UPDATE "segments" SET "legacy_rules" = "rules", "rules" = '[]'::jsonb
WHERE "rules" IS DISTINCT FROM '[]'::jsonb;

INSERT INTO "audit_logs" ("organisation_id", "project_id", "actor_label", "action", "entity_type", "entity_id", "summary", "changes")
SELECT p."organisation_id", s."project_id", 'Flagpost upgrade', 'UPDATE', 'segment', s."id"::text,
       'Moved the unstructured rules of segment ' || s."name" || ' to legacy_rules; it now has no rules',
       jsonb_build_object('rules', jsonb_build_object('from', s."legacy_rules", 'to', '[]'::jsonb))
FROM "segments" s JOIN "projects" p ON p."id" = s."project_id"
WHERE s."legacy_rules" IS NOT NULL;

-- An allocation belongs to exactly one state.
ALTER TABLE "multivariate_allocations" ADD CONSTRAINT "multivariate_allocations_one_state"
  CHECK (num_nonnulls("feature_state_id", "segment_override_id", "identity_override_id") = 1);
