/**
 * Splits the LPA activation string Hubby puts in an eSIM's `qr` field (`LPA:1$<SM-DP+ address>$<matching id>`), for
 * manual installs: the console's platform notes and the sandbox's instructions both show the two parts.
 */
export function parseLpa(lpa: string): { smdpAddress: string; matchingId: string } | null {
  const match = /^LPA:1\$([^$]+)\$([^$]*)(?:\$.*)?$/i.exec(lpa.trim());
  return match ? { smdpAddress: match[1]!, matchingId: match[2]! } : null;
}
