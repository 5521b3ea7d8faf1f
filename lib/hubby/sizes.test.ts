import { describe, expect, it } from "vitest";
import { SIZE_PATTERN, bytesToSize, sizeToBytes } from "./sizes";

describe("Hubby sizes", () => {
  it("counts bytes in binary units, with the reference's values", () => {
    expect(sizeToBytes("1GB")).toBe(1073741824);
    expect(sizeToBytes("500MB")).toBe(524288000);
    expect(sizeToBytes("3GB")).toBe(3221225472);
    expect(sizeToBytes("5GB")).toBe(5368709120);
    expect(sizeToBytes("10GB")).toBe(10737418240);
    expect(sizeToBytes("20GB")).toBe(21474836480);
    expect(sizeToBytes("1.5GB")).toBe(1610612736);
  });

  it("refuses what Hubby's size pattern refuses", () => {
    for (const size of ["1 GB", "5 GB", "1gb", "GB", "1TB", "-1GB", ".5GB", "1.GB", ""]) {
      expect(sizeToBytes(size)).toBeUndefined();
      expect(SIZE_PATTERN.test(size)).toBe(false);
    }
  });

  it("labels bytes back", () => {
    expect(bytesToSize(1073741824)).toBe("1GB");
    expect(bytesToSize(524288000)).toBe("500MB");
    expect(bytesToSize(1610612736)).toBe("1.5GB");
    expect(bytesToSize(sizeToBytes("1024MB")!)).toBe("1GB");
  });
});
