/** What each Hubby eSIM status means, in the words the traveler page shows staff. */
export const esimStatusWords: Record<string, string> = {
  RELEASED: "Ready to install: the profile can be downloaded, it is not on the phone yet.",
  INSTALLED: "Installed on the phone, no package active yet.",
  ENABLED: "Active: installed and carrying data.",
};
