-- AlterTable
ALTER TABLE "StaffUser" ADD COLUMN     "hasPassword" BOOLEAN NOT NULL DEFAULT true;

-- Accounts single sign-on created were given a random password nobody knows; their creation is audited as an
-- "auth.sign_in" with details.created. An account an admin later gave a password (the former typed reset) keeps one.
UPDATE "StaffUser" AS staff SET "hasPassword" = false
WHERE staff."ssoSubject" IS NOT NULL
  AND EXISTS (
    SELECT 1 FROM "AuditEntry" AS entry
    WHERE entry."action" = 'auth.sign_in' AND entry."targetId" = staff."id"::text
      AND entry."details"->>'created' = 'true'
  )
  AND NOT EXISTS (
    SELECT 1 FROM "AuditEntry" AS entry
    WHERE entry."action" = 'staff.reset_password' AND entry."targetId" = staff."id"::text AND entry."result" = 'ok'
  );
