import { describe, expect, it } from "vitest";
import { describeOutboundError } from "./outbound";

describe("describeOutboundError", () => {
  it("turns request-filtering-agent's refusal into a sentence naming the setting that allows it", () => {
    expect(
      describeOutboundError(
        "DNS lookup 127.0.0.1(family:4, host:localhost) is not allowed. Because, It is private IP address.",
        "ALERT_CHAT_ALLOW_PRIVATE",
      ),
    ).toBe(
      "localhost (127.0.0.1) is a loopback, private or link-local address, refused unless ALERT_CHAT_ALLOW_PRIVATE=true.",
    );
    // An IP literal: the agent names no host.
    expect(
      describeOutboundError(
        "DNS lookup 10.0.0.7(family:undefined, host:undefined) is not allowed. Because, It is private IP address.",
        "HUBBY_FORWARD_ALLOW_PRIVATE",
      ),
    ).toBe("10.0.0.7 is a loopback, private or link-local address, refused unless HUBBY_FORWARD_ALLOW_PRIVATE=true.");
  });

  it("leaves other errors as they are", () => {
    expect(describeOutboundError("connect ECONNREFUSED 203.0.113.9:443", "X")).toBe(
      "connect ECONNREFUSED 203.0.113.9:443",
    );
  });
});
