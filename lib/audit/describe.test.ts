import { describe, expect, it } from "vitest";
import { auditTarget, detailLines, detailSummary, humanLabel, idsIn, named } from "./describe";

const ada = "3f2a9c1e-1111-4a2b-8c3d-0123456789ab";
const campaign = "9b8a7c6d-2222-4e5f-9a0b-abcdefabcdef";
const names = new Map([
  [ada, "Ada Admin"],
  [campaign, "Spring promo"],
]);

describe("audit details as people read them", () => {
  it("labels keys in words", () => {
    expect(humanLabel("retryAfterSeconds")).toBe("Retry after seconds");
    expect(humanLabel("checked_rows")).toBe("Checked rows");
    expect(humanLabel("ip")).toBe("Ip");
  });

  it("finds every id in nested details, once", () => {
    const ids = idsIn({ invitedById: ada, rows: [{ campaignId: campaign }, { campaignId: campaign.toUpperCase() }] });
    expect([...ids].sort()).toEqual([ada, campaign].sort());
    expect(idsIn({ count: 3, name: "not-an-id" }).size).toBe(0);
  });

  it("replaces known ids by their names and keeps unknown ones whole", () => {
    expect(named(ada, names)).toBe("Ada Admin (3f2a9c1e…)");
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect(named(unknown, names)).toBe(unknown);
  });

  it("flattens nested details into labelled lines", () => {
    expect(
      detailLines(
        {
          email: "new@example.test",
          invitedById: ada,
          change: { from: 50, to: 100 },
          missing: ["x-timestamp", "x-signature"],
          changes: [{ field: "name" }],
          dryRun: false,
          note: null,
        },
        names,
      ),
    ).toEqual([
      { label: "Email", value: "new@example.test" },
      { label: "Invited by id", value: "Ada Admin (3f2a9c1e…)" },
      { label: "Change › From", value: "50" },
      { label: "Change › To", value: "100" },
      { label: "Missing", value: "x-timestamp, x-signature" },
      { label: "Changes 1 › Field", value: "name" },
      { label: "Dry run", value: "no" },
      { label: "Note", value: "—" },
    ]);
    expect(detailLines(null)).toEqual([]);
    expect(detailLines("plain text")).toEqual([{ label: "Details", value: "plain text" }]);
  });

  it("summarises on one line, cut with an ellipsis", () => {
    expect(detailSummary({ reason: "forbidden", role: "support" })).toBe("Reason: forbidden · Role: support");
    const long = detailSummary({ message: "x".repeat(300) }, names, 40);
    expect(long).toHaveLength(40);
    expect(long.endsWith("…")).toBe(true);
    expect(detailSummary({ message: "a\nb" })).not.toContain("\n");
  });
});

describe("auditTarget", () => {
  it("names the traveler, or the staff member or campaign acted on", () => {
    const none = { targetType: null, targetId: null, externalUserId: null };
    expect(auditTarget({ ...none, externalUserId: "trav-1" }, names).text).toBe("trav-1");
    expect(auditTarget({ ...none, targetType: "staff", targetId: ada }, names)).toEqual({
      text: "staff Ada Admin",
      title: `staff ${ada}`,
    });
    expect(auditTarget({ ...none, targetType: "webhook_event", targetId: "42" }, names).text).toBe("webhook event 42");
    expect(auditTarget(none, names).text).toBe("—");
  });
});
