-- AlterTable
ALTER TABLE "BookingIntent" ADD COLUMN     "supportTopUpBytes" BIGINT;

