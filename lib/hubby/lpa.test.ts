import { describe, expect, it } from "vitest";
import { parseLpa } from "./lpa";

describe("parseLpa", () => {
  it("splits the SM-DP+ address and the matching id", () => {
    expect(parseLpa("LPA:1$smdp.example.com$ACTIVATION-CODE")).toEqual({
      smdpAddress: "smdp.example.com",
      matchingId: "ACTIVATION-CODE",
    });
    expect(parseLpa(" lpa:1$rsp.example.org$K2-1AB$1.3.6.1 ")).toEqual({
      smdpAddress: "rsp.example.org",
      matchingId: "K2-1AB",
    });
  });

  it("returns null for anything else", () => {
    expect(parseLpa("not an lpa")).toBeNull();
    expect(parseLpa("LPA:1$")).toBeNull();
  });
});
