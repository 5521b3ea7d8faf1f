/**
 * eSIM-capable devices (reference §4.5 lists Apple iPhone 15 Pro and Samsung Galaxy S24), plus a few popular
 * models without eSIM that the compatibility check must reject.
 */
export type CompatibleDevice = { phone_brand: string; phone_model: string };

const models: Record<string, string[]> = {
  Apple: [
    "iPhone XS",
    "iPhone XS Max",
    "iPhone XR",
    "iPhone 11",
    "iPhone 11 Pro",
    "iPhone SE (2020)",
    "iPhone 12",
    "iPhone 12 mini",
    "iPhone 12 Pro",
    "iPhone 13",
    "iPhone 13 mini",
    "iPhone 13 Pro",
    "iPhone 14",
    "iPhone 14 Plus",
    "iPhone 14 Pro",
    "iPhone 15",
    "iPhone 15 Plus",
    "iPhone 15 Pro",
    "iPhone 15 Pro Max",
    "iPhone 16",
    "iPhone 16 Pro",
    "iPhone 16e",
    "iPhone 17",
  ],
  Samsung: [
    "Galaxy S20",
    "Galaxy S21",
    "Galaxy S22",
    "Galaxy S23",
    "Galaxy S23 Ultra",
    "Galaxy S24",
    "Galaxy S24 Ultra",
    "Galaxy S25",
    "Galaxy Z Fold5",
    "Galaxy Z Flip5",
    "Galaxy Z Fold6",
    "Galaxy A54",
  ],
  Google: [
    "Pixel 3",
    "Pixel 4",
    "Pixel 5",
    "Pixel 6",
    "Pixel 7",
    "Pixel 7a",
    "Pixel 8",
    "Pixel 8 Pro",
    "Pixel 9",
    "Pixel 10",
  ],
  Motorola: ["Razr 40", "Edge 40"],
  Xiaomi: ["13T Pro", "14"],
  OnePlus: ["12", "Open"],
  Oppo: ["Find X5 Pro", "Find N2 Flip"],
};

const incompatible: Record<string, string[]> = {
  Apple: ["iPhone 8", "iPhone X"],
  Samsung: ["Galaxy A14", "Galaxy A15"],
  Xiaomi: ["Redmi Note 12"],
};

export const compatibleDevices: CompatibleDevice[] = Object.entries(models).flatMap(([brand, list]) =>
  list.map((model) => ({ phone_brand: brand, phone_model: model })),
);

const normalise = (value: string) => value.toLowerCase().replace(/\s+/g, " ").trim();
const brandAliases: Record<string, string> = {
  iphone: "apple",
  apple: "apple",
  pixel: "google",
  google: "google",
  galaxy: "samsung",
};

function canonicalBrand(brand: string): string {
  const b = normalise(brand);
  return brandAliases[b] ?? b;
}

/** Strips a leading maker name from the model ("Google Pixel 10" → "pixel 10", but "iPhone 14" stays). */
function canonicalModel(brand: string, model: string): string {
  const m = normalise(model);
  const maker = canonicalBrand(brand);
  return m.startsWith(`${maker} `) ? m.slice(maker.length + 1) : m;
}

const compatibleIndex = new Set(
  compatibleDevices.map((d) => `${canonicalBrand(d.phone_brand)}|${normalise(d.phone_model)}`),
);

export function checkCompatibility(phoneBrand: string, phoneModel: string) {
  const key = `${canonicalBrand(phoneBrand)}|${canonicalModel(phoneBrand, phoneModel)}`;
  return { phone_brand: phoneBrand, phone_model: phoneModel, is_compatible: compatibleIndex.has(key) };
}

export const knownIncompatibleDevices: CompatibleDevice[] = Object.entries(incompatible).flatMap(([brand, list]) =>
  list.map((model) => ({ phone_brand: brand, phone_model: model })),
);

/** iOS 17.4+ installs from a universal link; Android 10+ from esimsetup.android.com on Google and Samsung phones. */
export function supportsProgrammaticInstall(os: string, version: string, brand = ""): boolean {
  const [major = 0, minor = 0] = version.split(".").map((part) => Number.parseInt(part, 10) || 0);
  if (normalise(os) === "ios") return major > 17 || (major === 17 && minor >= 4);
  if (normalise(os) === "android") return major >= 10 && ["google", "samsung", ""].includes(canonicalBrand(brand));
  return false;
}
