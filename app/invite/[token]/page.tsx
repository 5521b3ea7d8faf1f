import type { Metadata } from "next";
import { connection } from "next/server";
import { TokenLinkPage } from "@/components/token-link-page";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password-policy";
import { roleLabels } from "@/lib/auth/roles";
import { utcStamp } from "@/lib/format";
import { homeFor } from "@/lib/navigation";
import { inviteState, unusableInviteMessage } from "@/lib/staff/invites";
import { AcceptInviteForm } from "./accept-form";

// The token is in the path: no Referer may carry it to another site, and no search engine may keep it.
export const metadata: Metadata = {
  title: "Your invitation",
  referrer: "no-referrer",
  robots: { index: false, follow: false },
};

/** Public by design (proxy.ts): the single-use token is the invitee's only credential until they have a password. */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  await connection();
  const { token } = await params;
  const invite = await inviteState(token);
  return (
    <TokenLinkPage refusal={invite.status === "open" ? null : unusableInviteMessage(invite.status)}>
      {invite.status === "open" && (
        <>
          <p className="text-sm">
            Welcome, {invite.name}. Choose a password for <strong>{invite.email}</strong> ({roleLabels[invite.role]}
            ). This link works once, until {utcStamp(invite.expiresAt)}.
            {invite.twoFactorRequired && " Your role also signs in with an authenticator app: keep your phone ready."}
          </p>
          <AcceptInviteForm token={token} minLength={PASSWORD_MIN_LENGTH} home={homeFor(invite.role)} />
        </>
      )}
    </TokenLinkPage>
  );
}
