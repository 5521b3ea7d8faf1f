import QRCode from "qrcode";
import { z } from "zod";
import { supportsProgrammaticInstall } from "./devices";

/**
 * Installation instructions per device, OS, version and locale in the partner's branding, standing in for
 * Hubby's AI-generated `POST /api/native/instructions` (reference §4.5). Deterministic, no scripts, every
 * interpolated value escaped.
 */

export const instructionsInputSchema = z.object({
  format: z.enum(["html", "json"]).default("html"),
  external_user_id: z.string({ error: "is required" }).min(1, "is required").max(200),
  device_name: z.string({ error: "is required" }).min(1, "is required").max(100),
  device_type: z.enum(["phone", "tablet", "watch"]).default("phone"),
  phone_os: z
    .string({ error: "is required" })
    .transform((value) => value.trim().toLowerCase())
    .pipe(z.enum(["ios", "android"], { error: "must be ios or android" })),
  os_version: z.string({ error: "is required" }).regex(/^\d+(\.\d+){0,2}$/, "must look like 17.4 or 15"),
  locale: z
    .string()
    .regex(/^[A-Za-z]{2}([-_][A-Za-z]{2})?$/, "must look like en or en-GB")
    .optional(),
});
export type InstructionsInput = z.infer<typeof instructionsInputSchema>;

export type RenderInput = Omit<InstructionsInput, "format" | "external_user_id"> & {
  branding: { name: string; primary_color: string; secondary_color: string; logo?: string; font?: string };
  esim: { iccid: string; qr: string } | null;
};

type Text = {
  title: string;
  intro: (device: string) => string;
  noEsim: string;
  oneTap: string;
  oneTapBody: string;
  button: string;
  scan: string;
  scanBody: (path: string) => string;
  manual: string;
  manualBody: string;
  smdp: string;
  code: string;
  label: string;
  labelBody: string;
  roaming: string;
  roamingBody: (path: string) => string;
  keep: string;
  keepBody: string;
};

const texts: Record<string, Text> = {
  en: {
    title: "Install your travel eSIM",
    intro: (d) => `Instructions for your ${d}. Install the eSIM before you travel, while you have Wi-Fi.`,
    noEsim: "There is no eSIM for you yet. It appears here once your data package is booked.",
    oneTap: "Install with one tap",
    oneTapBody: "Tap the button on this phone and follow the steps on screen.",
    button: "Install eSIM",
    scan: "Scan the QR code",
    scanBody: (p) => `Open ${p} and scan this code with this phone's camera.`,
    manual: "Or enter the details by hand",
    manualBody: "If scanning does not work, choose “Enter details manually” and type:",
    smdp: "SM-DP+ address",
    code: "Activation code",
    label: "Name the eSIM",
    labelBody: "Call it “Travel” so you can tell it from your usual SIM.",
    roaming: "When you arrive, turn on data roaming",
    roamingBody: (p) => `Go to ${p}, select the travel eSIM for mobile data and turn on data roaming.`,
    keep: "Do not delete the eSIM",
    keepBody: "It can only be installed once. Top-ups are added to the same eSIM.",
  },
  es: {
    title: "Instala tu eSIM de viaje",
    intro: (d) => `Instrucciones para tu ${d}. Instala la eSIM antes de viajar, con conexión Wi-Fi.`,
    noEsim: "Todavía no tienes una eSIM. Aparecerá aquí cuando se reserve tu paquete de datos.",
    oneTap: "Instalar con un toque",
    oneTapBody: "Pulsa el botón en este teléfono y sigue los pasos en pantalla.",
    button: "Instalar eSIM",
    scan: "Escanea el código QR",
    scanBody: (p) => `Abre ${p} y escanea este código con la cámara del teléfono.`,
    manual: "O introduce los datos a mano",
    manualBody: "Si el escaneo no funciona, elige «Introducir datos manualmente» y escribe:",
    smdp: "Dirección SM-DP+",
    code: "Código de activación",
    label: "Ponle nombre a la eSIM",
    labelBody: "Llámala «Viaje» para distinguirla de tu SIM habitual.",
    roaming: "Al llegar, activa la itinerancia de datos",
    roamingBody: (p) => `Ve a ${p}, elige la eSIM de viaje para datos móviles y activa la itinerancia.`,
    keep: "No borres la eSIM",
    keepBody: "Solo se puede instalar una vez. Las recargas se añaden a la misma eSIM.",
  },
  fr: {
    title: "Installez votre eSIM de voyage",
    intro: (d) => `Instructions pour votre ${d}. Installez l’eSIM avant de partir, en Wi-Fi.`,
    noEsim: "Vous n’avez pas encore d’eSIM. Elle apparaîtra ici dès que votre forfait sera réservé.",
    oneTap: "Installer en un geste",
    oneTapBody: "Touchez le bouton sur ce téléphone et suivez les étapes à l’écran.",
    button: "Installer l’eSIM",
    scan: "Scannez le code QR",
    scanBody: (p) => `Ouvrez ${p} et scannez ce code avec l’appareil photo.`,
    manual: "Ou saisissez les informations",
    manualBody: "Si le scan ne fonctionne pas, choisissez « Saisir manuellement » et entrez :",
    smdp: "Adresse SM-DP+",
    code: "Code d’activation",
    label: "Nommez l’eSIM",
    labelBody: "Appelez-la « Voyage » pour la distinguer de votre SIM habituelle.",
    roaming: "À l’arrivée, activez l’itinérance des données",
    roamingBody: (p) => `Allez dans ${p}, choisissez l’eSIM de voyage pour les données et activez l’itinérance.`,
    keep: "Ne supprimez pas l’eSIM",
    keepBody: "Elle ne s’installe qu’une fois. Les recharges s’ajoutent à la même eSIM.",
  },
  de: {
    title: "Installieren Sie Ihre Reise-eSIM",
    intro: (d) => `Anleitung für Ihr ${d}. Installieren Sie die eSIM vor der Reise, mit WLAN.`,
    noEsim: "Sie haben noch keine eSIM. Sie erscheint hier, sobald Ihr Datenpaket gebucht ist.",
    oneTap: "Mit einem Fingertipp installieren",
    oneTapBody: "Tippen Sie auf diesem Telefon auf die Schaltfläche und folgen Sie den Schritten.",
    button: "eSIM installieren",
    scan: "QR-Code scannen",
    scanBody: (p) => `Öffnen Sie ${p} und scannen Sie diesen Code mit der Kamera.`,
    manual: "Oder Daten manuell eingeben",
    manualBody: "Wenn das Scannen nicht klappt, wählen Sie „Manuell eingeben“ und tippen Sie:",
    smdp: "SM-DP+-Adresse",
    code: "Aktivierungscode",
    label: "eSIM benennen",
    labelBody: "Nennen Sie sie „Reise“, um sie von Ihrer normalen SIM zu unterscheiden.",
    roaming: "Bei Ankunft Datenroaming einschalten",
    roamingBody: (p) => `Öffnen Sie ${p}, wählen Sie die Reise-eSIM für mobile Daten und schalten Sie Roaming ein.`,
    keep: "Löschen Sie die eSIM nicht",
    keepBody: "Sie lässt sich nur einmal installieren. Aufladungen kommen auf dieselbe eSIM.",
  },
  nl: {
    title: "Installeer je reis-eSIM",
    intro: (d) => `Instructies voor je ${d}. Installeer de eSIM vóór vertrek, met wifi.`,
    noEsim: "Je hebt nog geen eSIM. Die verschijnt hier zodra je databundel is geboekt.",
    oneTap: "Installeren met één tik",
    oneTapBody: "Tik op deze telefoon op de knop en volg de stappen op het scherm.",
    button: "eSIM installeren",
    scan: "Scan de QR-code",
    scanBody: (p) => `Open ${p} en scan deze code met de camera.`,
    manual: "Of vul de gegevens zelf in",
    manualBody: "Lukt scannen niet, kies dan „Handmatig invoeren” en typ:",
    smdp: "SM-DP+-adres",
    code: "Activatiecode",
    label: "Geef de eSIM een naam",
    labelBody: "Noem hem „Reis” zodat je hem van je gewone simkaart onderscheidt.",
    roaming: "Zet bij aankomst dataroaming aan",
    roamingBody: (p) => `Ga naar ${p}, kies de reis-eSIM voor mobiele data en zet roaming aan.`,
    keep: "Verwijder de eSIM niet",
    keepBody: "Hij kan maar één keer worden geïnstalleerd. Opwaarderingen komen op dezelfde eSIM.",
  },
  it: {
    title: "Installa la tua eSIM da viaggio",
    intro: (d) => `Istruzioni per il tuo ${d}. Installa la eSIM prima di partire, con il Wi-Fi.`,
    noEsim: "Non hai ancora una eSIM. Comparirà qui quando il tuo pacchetto dati sarà prenotato.",
    oneTap: "Installa con un tocco",
    oneTapBody: "Tocca il pulsante su questo telefono e segui i passaggi.",
    button: "Installa eSIM",
    scan: "Scansiona il codice QR",
    scanBody: (p) => `Apri ${p} e scansiona questo codice con la fotocamera.`,
    manual: "Oppure inserisci i dati a mano",
    manualBody: "Se la scansione non funziona, scegli «Inserisci manualmente» e digita:",
    smdp: "Indirizzo SM-DP+",
    code: "Codice di attivazione",
    label: "Dai un nome alla eSIM",
    labelBody: "Chiamala «Viaggio» per distinguerla dalla tua SIM abituale.",
    roaming: "All’arrivo, attiva il roaming dati",
    roamingBody: (p) => `Vai in ${p}, scegli la eSIM da viaggio per i dati e attiva il roaming.`,
    keep: "Non eliminare la eSIM",
    keepBody: "Si può installare una sola volta. Le ricariche vanno sulla stessa eSIM.",
  },
  pt: {
    title: "Instale o seu eSIM de viagem",
    intro: (d) => `Instruções para o seu ${d}. Instale o eSIM antes de viajar, com Wi-Fi.`,
    noEsim: "Ainda não tem um eSIM. Aparecerá aqui quando o seu pacote de dados for reservado.",
    oneTap: "Instalar com um toque",
    oneTapBody: "Toque no botão neste telemóvel e siga os passos no ecrã.",
    button: "Instalar eSIM",
    scan: "Leia o código QR",
    scanBody: (p) => `Abra ${p} e leia este código com a câmara.`,
    manual: "Ou introduza os dados à mão",
    manualBody: "Se a leitura não funcionar, escolha «Introduzir manualmente» e escreva:",
    smdp: "Endereço SM-DP+",
    code: "Código de ativação",
    label: "Dê um nome ao eSIM",
    labelBody: "Chame-lhe «Viagem» para o distinguir do seu SIM habitual.",
    roaming: "À chegada, ative o roaming de dados",
    roamingBody: (p) => `Vá a ${p}, escolha o eSIM de viagem para dados móveis e ative o roaming.`,
    keep: "Não apague o eSIM",
    keepBody: "Só pode ser instalado uma vez. Os carregamentos são adicionados ao mesmo eSIM.",
  },
};

export function languageFor(locale: string | undefined): string {
  const language = (locale ?? "en").slice(0, 2).toLowerCase();
  return texts[language] ? language : "en";
}

type Step = {
  title: string;
  body: string;
  link?: { href: string; label: string };
  qr?: true;
  manual?: { smdp: string; code: string };
};

function settingsPaths(os: "ios" | "android", device: string) {
  if (os === "ios") return { add: "Settings › Cellular › Add eSIM › Use QR Code", data: "Settings › Cellular" };
  if (/samsung|galaxy/i.test(device)) {
    return { add: "Settings › Connections › SIM manager › Add eSIM", data: "Settings › Connections › SIM manager" };
  }
  return {
    add: "Settings › Network & internet › SIMs › Download a SIM instead",
    data: "Settings › Network & internet › SIMs",
  };
}

function splitLpa(lpa: string): { smdp: string; code: string } {
  const [, smdp = "", code = ""] = lpa.split("$");
  return { smdp, code };
}

function buildSteps(input: RenderInput): { language: string; text: Text; steps: Step[] } {
  const language = languageFor(input.locale);
  const text = texts[language]!;
  if (!input.esim) return { language, text, steps: [] };
  const os = input.phone_os;
  const paths = settingsPaths(os, input.device_name);
  const carddata = encodeURIComponent(input.esim.qr);
  const steps: Step[] = [];
  if (supportsProgrammaticInstall(os, input.os_version, /samsung|galaxy/i.test(input.device_name) ? "samsung" : "")) {
    const href =
      os === "ios"
        ? `https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=${carddata}`
        : `https://esimsetup.android.com/esim_qrcode_provisioning?carddata=${carddata}`;
    steps.push({ title: text.oneTap, body: text.oneTapBody, link: { href, label: text.button } });
  } else {
    steps.push({ title: text.scan, body: text.scanBody(paths.add), qr: true });
    steps.push({ title: text.manual, body: text.manualBody, manual: splitLpa(input.esim.qr) });
  }
  steps.push({ title: text.label, body: text.labelBody });
  steps.push({ title: text.roaming, body: text.roamingBody(paths.data) });
  steps.push({ title: text.keep, body: text.keepBody });
  return { language, text, steps };
}

export function renderInstructionsJson(input: RenderInput) {
  const { language, text, steps } = buildSteps(input);
  return {
    locale: language,
    title: text.title,
    intro: input.esim ? text.intro(input.device_name) : text.noEsim,
    steps: steps.map((step) => ({
      title: step.title,
      body: step.body,
      ...(step.manual ? { smdp_address: step.manual.smdp, activation_code: step.manual.code } : {}),
    })),
    links: steps.flatMap((step) => (step.link ? [step.link] : [])),
  };
}

const colour = (value: string, fallback: string) => (/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(value) ? value : fallback);
const safeFont = (value: string | undefined) => (value && /^[A-Za-z0-9 -]{1,40}$/.test(value) ? value : "system-ui");

export async function renderInstructionsHtml(input: RenderInput): Promise<string> {
  const { language, text, steps } = buildSteps(input);
  const primary = colour(input.branding.primary_color, "#0f766e");
  const secondary = colour(input.branding.secondary_color, "#f59e0b");
  const logo = input.branding.logo && /^https?:\/\//i.test(input.branding.logo) ? input.branding.logo : undefined;
  const items: string[] = [];
  for (const step of steps) {
    let extra = "";
    if (step.link)
      extra = `<p><a class="button" href="${escapeHtml(step.link.href)}">${escapeHtml(step.link.label)}</a></p>`;
    if (step.qr && input.esim) {
      extra = `<div class="qr">${await QRCode.toString(input.esim.qr, { type: "svg", margin: 1, width: 220 })}</div>`;
    }
    if (step.manual) {
      extra = `<dl><dt>${escapeHtml(text.smdp)}</dt><dd><code>${escapeHtml(step.manual.smdp)}</code></dd><dt>${escapeHtml(text.code)}</dt><dd><code>${escapeHtml(step.manual.code)}</code></dd></dl>`;
    }
    items.push(`<li><h2>${escapeHtml(step.title)}</h2><p>${escapeHtml(step.body)}</p>${extra}</li>`);
  }
  const intro = input.esim ? text.intro(input.device_name) : text.noEsim;
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(text.title)} · ${escapeHtml(input.branding.name)}</title>
<style>
:root{--brand-primary:${primary};--brand-secondary:${secondary}}
body{margin:0;font-family:${safeFont(input.branding.font)},system-ui,sans-serif;color:#0f172a;background:#fff}
header{display:flex;align-items:center;gap:12px;padding:16px;border-bottom:4px solid var(--brand-secondary)}
main{max-width:560px;margin:0 auto;padding:16px}
h1{color:var(--brand-primary);font-size:1.5rem}h2{font-size:1.05rem;margin:0 0 4px}
ol{padding-left:1.25rem}li{margin:0 0 16px}
.button{display:inline-block;padding:10px 16px;border-radius:8px;background:var(--brand-primary);color:#fff;text-decoration:none}
.qr svg{width:220px;height:220px}code{background:#f1f5f9;padding:2px 4px;border-radius:4px;word-break:break-all}
</style></head>
<body><header>${logo ? `<img src="${escapeHtml(logo)}" alt="${escapeHtml(input.branding.name)}" height="40">` : `<strong>${escapeHtml(input.branding.name)}</strong>`}</header>
<main><h1>${escapeHtml(text.title)}</h1><p>${escapeHtml(intro)}</p>${items.length ? `<ol>${items.join("")}</ol>` : ""}</main></body></html>`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
