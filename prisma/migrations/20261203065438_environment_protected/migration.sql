-- AlterTable
ALTER TABLE "environments" ADD COLUMN     "protected" BOOLEAN NOT NULL DEFAULT false;

-- Existing environments named like production start protected, as new ones do (isProductionName).
UPDATE "environments" SET "protected" = true
WHERE lower(regexp_replace("name", '[_-]', ' ', 'g')) ~ '(^|[^a-z0-9])prod(uction)?($|[^a-z0-9])';
