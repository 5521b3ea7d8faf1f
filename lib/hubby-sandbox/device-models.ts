/**
 * eSIM-capable devices for `GET /api/native/device-compatibility` (reference §4.5, which shows Apple iPhone 15 Pro
 * and Samsung Galaxy S24), and the lenient check behind `POST /api/native/device-compatibility`. A few popular
 * models without eSIM are listed too, so the check has something real to reject.
 */

export type Device = { phone_brand: string; phone_model: string };
export type CompatibilityResult = Device & { is_compatible: boolean };

const compatibleModels: Record<string, string[]> = {
  Apple: [
    "iPhone XS",
    "iPhone XS Max",
    "iPhone XR",
    "iPhone 11",
    "iPhone 11 Pro",
    "iPhone 11 Pro Max",
    "iPhone SE (2020)",
    "iPhone SE (2022)",
    "iPhone 12 mini",
    "iPhone 12",
    "iPhone 12 Pro",
    "iPhone 12 Pro Max",
    "iPhone 13 mini",
    "iPhone 13",
    "iPhone 13 Pro",
    "iPhone 13 Pro Max",
    "iPhone 14",
    "iPhone 14 Plus",
    "iPhone 14 Pro",
    "iPhone 14 Pro Max",
    "iPhone 15",
    "iPhone 15 Plus",
    "iPhone 15 Pro",
    "iPhone 15 Pro Max",
    "iPhone 16e",
    "iPhone 16",
    "iPhone 16 Plus",
    "iPhone 16 Pro",
    "iPhone 16 Pro Max",
    "iPhone 17",
    "iPhone Air",
    "iPhone 17 Pro",
    "iPhone 17 Pro Max",
  ],
  Samsung: [
    "Galaxy S20",
    "Galaxy S20+",
    "Galaxy S20 Ultra",
    "Galaxy S21",
    "Galaxy S21+",
    "Galaxy S21 Ultra",
    "Galaxy S22",
    "Galaxy S22+",
    "Galaxy S22 Ultra",
    "Galaxy S23",
    "Galaxy S23+",
    "Galaxy S23 Ultra",
    "Galaxy S23 FE",
    "Galaxy S24",
    "Galaxy S24+",
    "Galaxy S24 Ultra",
    "Galaxy S24 FE",
    "Galaxy S25",
    "Galaxy S25+",
    "Galaxy S25 Ultra",
    "Galaxy Note20",
    "Galaxy Note20 Ultra",
    "Galaxy Z Fold3",
    "Galaxy Z Fold4",
    "Galaxy Z Fold5",
    "Galaxy Z Fold6",
    "Galaxy Z Flip3",
    "Galaxy Z Flip4",
    "Galaxy Z Flip5",
    "Galaxy Z Flip6",
    "Galaxy A54 5G",
    "Galaxy A55 5G",
  ],
  Google: [
    "Pixel 3",
    "Pixel 3 XL",
    "Pixel 3a",
    "Pixel 4",
    "Pixel 4 XL",
    "Pixel 4a",
    "Pixel 5",
    "Pixel 5a",
    "Pixel 6",
    "Pixel 6 Pro",
    "Pixel 6a",
    "Pixel 7",
    "Pixel 7 Pro",
    "Pixel 7a",
    "Pixel Fold",
    "Pixel 8",
    "Pixel 8 Pro",
    "Pixel 8a",
    "Pixel 9",
    "Pixel 9 Pro",
    "Pixel 9 Pro XL",
    "Pixel 9 Pro Fold",
    "Pixel 9a",
    "Pixel 10",
    "Pixel 10 Pro",
    "Pixel 10 Pro XL",
  ],
  Motorola: ["Razr 40", "Razr 40 Ultra", "Razr 50", "Edge 40", "Edge 40 Pro", "Edge 50 Pro"],
  Xiaomi: ["12T Pro", "13", "13 Pro", "13T Pro", "14", "14T Pro", "15"],
  OnePlus: ["Open", "13"],
  Oppo: ["Find X3 Pro", "Find X5", "Find X5 Pro", "Find N2 Flip", "Find X8 Pro"],
  Sony: ["Xperia 1 IV", "Xperia 1 V", "Xperia 10 IV", "Xperia 10 V"],
  Fairphone: ["Fairphone 4", "Fairphone 5"],
};

const incompatibleModels: Record<string, string[]> = {
  Apple: ["iPhone 8", "iPhone 8 Plus", "iPhone X", "iPhone SE (2016)"],
  Samsung: ["Galaxy A14", "Galaxy A15", "Galaxy S10"],
  Xiaomi: ["Redmi Note 12", "Redmi Note 13"],
};

const listDevices = (models: Record<string, string[]>): Device[] =>
  Object.entries(models).flatMap(([brand, list]) => list.map((model) => ({ phone_brand: brand, phone_model: model })));

export const compatibleDevices: readonly Device[] = listDevices(compatibleModels);
export const knownIncompatibleDevices: readonly Device[] = listDevices(incompatibleModels);

// Names people type for a maker: product lines ("iPhone", "Galaxy", "Pixel") and sub-brands stand for the maker.
const brandAliases: Record<string, string> = {
  apple: "Apple",
  iphone: "Apple",
  samsung: "Samsung",
  galaxy: "Samsung",
  google: "Google",
  pixel: "Google",
  motorola: "Motorola",
  moto: "Motorola",
  xiaomi: "Xiaomi",
  redmi: "Xiaomi",
  oneplus: "OnePlus",
  oppo: "Oppo",
  sony: "Sony",
  xperia: "Sony",
  fairphone: "Fairphone",
};

// A model may be typed without its product line ("S24" for a Samsung, "15 Pro" with brand "iPhone").
const productLines: Record<string, string> = { Apple: "iphone", Samsung: "galaxy", Google: "pixel", Sony: "xperia" };

/** Lower case without spaces, hyphens or underscores: "Galaxy Z Fold 5" and "galaxy z-fold5" compare equal. */
const squash = (value: string) => value.toLowerCase().replace(/[\s_-]+/g, "");

function canonicalBrand(brand: string): string | undefined {
  return brandAliases[squash(brand)];
}

function modelKey(brand: string, model: string): string {
  const maker = squash(brand);
  let key = squash(model);
  // Drop a leading maker name ("Google Pixel 10" → "pixel10"), but not a sub-brand ("Redmi Note 12" stays).
  if (key.startsWith(maker)) key = key.slice(maker.length);
  const line = productLines[brand];
  if (line && !key.startsWith(line)) key = line + key;
  return `${maker}|${key}`;
}

const compatibleKeys = new Set(compatibleDevices.map((d) => modelKey(d.phone_brand, d.phone_model)));

/** The maker of a device name such as "Google Pixel 10", "Galaxy S24" or "iPhone 12"; undefined when unclear. */
export function brandFromDeviceName(deviceName: string): string | undefined {
  const words = deviceName.trim().split(/\s+/);
  for (const word of words.slice(0, 2)) {
    const brand = canonicalBrand(word) ?? canonicalBrand(word.replace(/\d.*$/, ""));
    if (brand) return brand;
  }
  return undefined;
}

/**
 * Lenient like a person reading the form: any case, extra whitespace, maker aliases ("iPhone" for Apple, "Pixel"
 * for Google), the maker repeated in the model, or the product line left out. Echoes the input as given.
 */
export function checkCompatibility(phoneBrand: string, phoneModel: string): CompatibilityResult {
  const brand = canonicalBrand(phoneBrand) ?? brandFromDeviceName(phoneModel);
  const isCompatible = brand !== undefined && compatibleKeys.has(modelKey(brand, phoneModel));
  return { phone_brand: phoneBrand, phone_model: phoneModel, is_compatible: isCompatible };
}

function parseVersion(version: string | number): [major: number, minor: number] | undefined {
  const match = /(\d+)(?:\.(\d+))?/.exec(String(version));
  return match ? [Number(match[1]), Number(match[2] ?? 0)] : undefined;
}

/**
 * Whether the eSIM can be installed from a link, without scanning a QR code:
 * - iOS 17.4 and later open Apple's universal link (esimsetup.apple.com);
 * - Android 10 and later open esimsetup.android.com, which we only rely on for Google and Samsung phones, whose
 *   system eSIM manager handles it. Without a brand, Android is judged on its version alone.
 */
export function supportsProgrammaticInstall(os: string, version: string | number, brand?: string): boolean {
  const parsed = parseVersion(version);
  if (!parsed) return false;
  const [major, minor] = parsed;
  const system = squash(os);
  if (system === "ios" || system === "ipados") return major > 17 || (major === 17 && minor >= 4);
  if (system !== "android" || major < 10) return false;
  if (brand === undefined) return true;
  const maker = canonicalBrand(brand);
  return maker === "Google" || maker === "Samsung";
}
