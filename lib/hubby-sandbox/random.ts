/** A small seeded PRNG (mulberry32) so demo data and simulations are reproducible from one seed. */
export type Random = {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  digits(count: number): string;
  code(count: number, alphabet?: string): string;
  uuid(): string;
};

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const code = (count: number, alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789") =>
    Array.from({ length: count }, () => alphabet[int(0, alphabet.length - 1)]).join("");
  return {
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)]!,
    chance: (probability) => next() < probability,
    digits: (count) => code(count, "0123456789"),
    code,
    uuid: () => {
      const hex = code(32, "0123456789abcdef");
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${"89ab"[int(0, 3)]}${hex.slice(17, 20)}-${hex.slice(20)}`;
    },
  };
}
