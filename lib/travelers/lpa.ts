/** Splits an LPA activation string (`LPA:1$<SM-DP+ address>$<matching id>`) for manual Android installs. */
export function parseLpa(lpa: string): { smdpAddress: string; matchingId: string } | null {
  const match = /^LPA:1\$([^$]+)\$([^$]*)(?:\$.*)?$/i.exec(lpa.trim());
  return match ? { smdpAddress: match[1]!, matchingId: match[2]! } : null;
}

export const esimStatusWords: Record<string, string> = {
  RELEASED: "Ready to install: the profile can be downloaded, it is not on the phone yet.",
  INSTALLED: "Installed on the phone, no package active yet.",
  ENABLED: "Active: installed and carrying data.",
};
