import { utcStamp } from "../format";

/** Times on the traveler page: always UTC, to the minute, so staff and Hubby's support read the same clock. */
export function utc(value: string | Date | null | undefined): string {
  return utcStamp(value);
}

/** How long ago, coarse: "just now", "12 min ago", "3 h ago", "5 days ago". */
export function age(from: string | Date, now: Date = new Date()): string {
  const minutes = Math.floor((now.getTime() - new Date(from).getTime()) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}
