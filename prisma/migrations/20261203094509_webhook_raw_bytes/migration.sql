-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN     "rawBytes" BYTEA;

