/** The package types and sizes of POST /api/bookings (reference §4.1). No zod: the booking form reads them in the browser. */

export const PACKAGE_TYPES = ["data-limited", "starter", "unlimited", "time-limited"] as const;
export type PackageType = (typeof PACKAGE_TYPES)[number];

/** The sizes Hubby documents (reference §4.1). The form offers whatever the catalog's bundles sell. */
export const PACKAGE_SIZES = ["500MB", "1GB", "3GB", "5GB", "10GB", "20GB"] as const;
