import { describe, expect, it } from "vitest";
import { idForms, replaceId, replaceIdInBytes, scrubPersonalFields } from "./matching";

describe("finding a traveler's id in stored text", () => {
  it("replaces the id as a whole token only, in each of its written forms", () => {
    const text = `{"external_user_id":"anna","other":"anna_b","x":"joanna","y":"anna.k","z":"for anna."}`;
    expect(replaceId(text, "anna", "erased-1")).toBe(
      `{"external_user_id":"erased-1","other":"anna_b","x":"joanna","y":"anna.k","z":"for erased-1."}`,
    );
    expect(replaceId("/api/native/user-dashboard?external_user_id=a%40b.com&x=1", "a@b.com", "erased-2")).toBe(
      "/api/native/user-dashboard?external_user_id=erased-2&x=1",
    );
    expect(replaceId(`{"id":"say \\"hi\\""}`, `say "hi"`, "erased-3")).toBe(`{"id":"erased-3"}`);
    expect(idForms("a b")).toEqual(["a b", "a%20b", "a+b"]);
  });

  it("replaces the id inside bytes that are not UTF-8 and leaves every other byte", () => {
    const bytes = Buffer.concat([Buffer.from('{"u":"zoë"}'), Buffer.from([0xff, 0x00])]);
    const result = replaceIdInBytes(bytes, "zoë", "erased-4");
    expect(result).toEqual(Buffer.concat([Buffer.from('{"u":"erased-4"}'), Buffer.from([0xff, 0x00])]));
  });

  it("replaces personal keys' values at any depth and reports them", () => {
    const { value, values } = scrubPersonalFields({
      a: [{ email: "x@y.z", Name: "Ann" }],
      phone_number: "",
      size: "3GB",
    });
    expect(value).toEqual({ a: [{ email: "erased", Name: "erased" }], phone_number: "", size: "3GB" });
    expect(values).toEqual(["x@y.z", "Ann"]);
  });
});
