import { describe, expect, it } from "vitest";
import { CappedBody, senderAddress } from "./receiver";

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });

describe("senderAddress", () => {
  it("takes the nearest hop of X-Forwarded-For (a sender writes the ones before it), never X-Real-IP, then the peer", () => {
    expect(
      senderAddress(headers({ "x-forwarded-for": " 198.51.100.7 , 10.0.0.1", "x-real-ip": "192.0.2.1" }), "127.0.0.1"),
    ).toBe("10.0.0.1");
    expect(senderAddress(headers({ "x-real-ip": "192.0.2.1" }), "127.0.0.1")).toBe("127.0.0.1");
    expect(senderAddress(headers({ "x-forwarded-for": "" }), "127.0.0.1")).toBe("127.0.0.1");
    expect(senderAddress(headers({}), null)).toBeNull();
  });
});

describe("CappedBody", () => {
  it("keeps chunks up to the cap and refuses, keeping nothing more, past it", () => {
    const body = new CappedBody(5);
    expect(body.add(Buffer.from("abc"))).toBe(true);
    expect(body.add(Buffer.from("de"))).toBe(true);
    expect(body.bytes().toString()).toBe("abcde");
    expect(body.add(Buffer.from("f"))).toBe(false);
  });
});
