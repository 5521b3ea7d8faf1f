/**
 * The largest campaign file: 100,000 rows of the template's columns are about 12 MB. Shared by the upload form
 * (which refuses a larger file before sending it) and the upload route (which refuses it before buffering it).
 */
export const MAX_UPLOAD_BYTES = 24 * 1024 * 1024;

export const UPLOAD_TOO_LARGE_MESSAGE =
  "The file is larger than 24 MB (about 100,000 rows): split it into several campaigns.";
