import QRCode from "qrcode";
import { z } from "zod";
import { parseLpa } from "../hubby/lpa";
import { brandFromDeviceName, supportsProgrammaticInstall } from "./device-models";

/**
 * Installation instructions for `POST /api/native/instructions` (reference §4.5), standing in for Hubby's
 * AI-generated ones: steps for the traveler's OS, OS version and phone maker, in their language (en, es, fr, de, nl,
 * it, pt; English otherwise), in the partner's branding. Output is deterministic and has no scripts; every value
 * from outside is escaped, colours and fonts are validated, and a logo is used only from an http(s) URL.
 */

// ── Request body ────────────────────────────────────────────────────────────────────────────────────────────

const requiredText = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") })
    .trim()
    .min(1, "is required")
    .max(max, `must be at most ${max} characters`);

const lowerCaseEnum = <const T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z
    .string({ error: message })
    .transform((value) => value.trim().toLowerCase())
    .pipe(z.enum(values, { error: message }));

export const instructionsInputSchema = z.object({
  format: lowerCaseEnum(["html", "json", "markdown"], "must be html, json or markdown").default("html"),
  external_user_id: requiredText(200),
  device_name: requiredText(100),
  device_type: lowerCaseEnum(["phone", "tablet", "watch"], "must be phone, tablet or watch").default("phone"),
  phone_os: z
    .string({ error: (issue) => (issue.input === undefined ? "is required" : "must be ios or android") })
    .transform((value) => value.trim().toLowerCase())
    .pipe(z.enum(["ios", "android"], { error: "must be ios or android" })),
  os_version: z
    .union([z.string(), z.number()], {
      error: (issue) => (issue.input === undefined ? "is required" : "must be a version such as 17.4 or 15"),
    })
    .transform((value) => String(value).trim())
    .pipe(z.string().regex(/^\d{1,3}(\.\d{1,3}){0,2}$/, "must be a version such as 17.4 or 15")),
  locale: z
    .string({ error: "must be a language tag such as en or en-GB" })
    .trim()
    .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, "must be a language tag such as en or en-GB")
    .optional(),
  // Not in Hubby's documented body (it resolves the branding from the traveler); the sandbox lets a brand key be
  // previewed before a booking carries it.
  custom_branding: z.string({ error: "must be a string" }).trim().max(100, "must be at most 100 characters").optional(),
});
export type InstructionsRequest = z.infer<typeof instructionsInputSchema>;

// ── Render input ────────────────────────────────────────────────────────────────────────────────────────────

export type InstructionsBranding = {
  name: string;
  primary_color?: string | null;
  secondary_color?: string | null;
  logo?: string | null;
  font?: string | null;
};

export type InstructionsRenderInput = {
  device_name: string;
  /** "phone" (default), "tablet" or "watch". */
  device_type?: string;
  /** "ios" or "android", in any case. */
  phone_os: string;
  os_version: string | number;
  /** "en-US", "es", "mk-MK"…; the language part picks the text. */
  locale?: string | null;
  branding: InstructionsBranding;
  /** The traveler's universal eSIM; `status` INSTALLED or ENABLED skips the installation steps. */
  esim: { iccid: string; qr: string; status?: string } | null;
};

// ── Text ────────────────────────────────────────────────────────────────────────────────────────────────────

type Platform = "ios" | "samsung" | "android";
type PlatformMenus = { add: string[]; manual: string; data: string[]; roaming: string[] };
type Menus = Record<Platform, PlatformMenus> & { iosLegacyAdd: string[] };
type Titled = { title: string; body: string };

type Copy = {
  title: string;
  intro: (device: string) => string;
  installed: (device: string) => string;
  noEsim: string;
  watch: string;
  wifi: Titled;
  oneTap: Titled;
  button: string;
  scan: { title: string; body: (path: string) => string };
  manualTitle: string;
  fallbackTitle: string;
  manualBody: (path: string, option: string) => string;
  smdp: string;
  code: string;
  qrLabel: string;
  label: Titled;
  data: { title: string; body: (path: string) => string };
  roaming: { title: string; body: (path: string) => string };
  keep: Titled;
  iccid: string;
  menus: Menus;
};

const english: Copy = {
  title: "Install your travel eSIM",
  intro: (device) => `How to install your eSIM on your ${device}.`,
  installed: (device) => `Your eSIM is already installed on your ${device}. Here is how to get online when you arrive.`,
  noEsim:
    "You don't have an eSIM yet. Once your trip is booked, your eSIM and the steps to install it will appear here.",
  watch:
    "Travel eSIMs work on phones and tablets, not on watches. Open these instructions on your phone to install the eSIM there.",
  wifi: {
    title: "Connect to Wi-Fi",
    body: "Install the eSIM before you travel, while you are connected to Wi-Fi. It takes about two minutes.",
  },
  oneTap: {
    title: "Install with one tap",
    body: "On this device, tap the button below and follow the steps on screen.",
  },
  button: "Install eSIM",
  scan: {
    title: "Scan the QR code",
    body: (path) =>
      `Show this code on another screen or print it. Then, on this device, go to ${path} and scan it with the camera.`,
  },
  manualTitle: "Or enter the details by hand",
  fallbackTitle: "If the button doesn't work",
  manualBody: (path, option) => `Go to ${path}, choose “${option}” and enter:`,
  smdp: "SM-DP+ address",
  code: "Activation code",
  qrLabel: "QR code of your eSIM",
  label: {
    title: "Name it “Travel”",
    body: "When asked for a label, call the new eSIM “Travel” so you can tell it apart from your usual SIM.",
  },
  data: {
    title: "Use the travel eSIM for mobile data",
    body: (path) => `In ${path}, choose the travel eSIM for mobile data. Keep your usual SIM for calls and texts.`,
  },
  roaming: {
    title: "When you arrive, turn on data roaming",
    body: (path) =>
      `Go to ${path} and turn on data roaming for the travel eSIM only. Leave it off on your usual SIM to avoid charges.`,
  },
  keep: {
    title: "Don't delete the eSIM",
    body: "Keep the eSIM on your device after your trip. It can only be installed once, and top-ups for your next trips are added to it.",
  },
  iccid: "eSIM number (ICCID)",
  menus: {
    ios: {
      add: ["Settings", "Cellular", "Add eSIM", "Use QR Code"],
      manual: "Enter Details Manually",
      data: ["Settings", "Cellular", "Cellular Data"],
      roaming: ["Settings", "Cellular", "Travel", "Data Roaming"],
    },
    iosLegacyAdd: ["Settings", "Cellular", "Add Cellular Plan"],
    samsung: {
      add: ["Settings", "Connections", "SIM manager", "Add eSIM", "Scan QR code"],
      manual: "Enter activation code",
      data: ["Settings", "Connections", "SIM manager", "Mobile data"],
      roaming: ["Settings", "Connections", "Mobile networks", "Data roaming"],
    },
    android: {
      add: ["Settings", "Network & internet", "SIMs", "Download a SIM"],
      manual: "Enter it manually",
      data: ["Settings", "Network & internet", "SIMs", "Travel", "Mobile data"],
      roaming: ["Settings", "Network & internet", "SIMs", "Travel", "Roaming"],
    },
  },
};

// Outside North America, English iPhones say "Mobile Data" where American ones say "Cellular".
const britishEnglish: Copy = {
  ...english,
  menus: {
    ...english.menus,
    ios: {
      ...english.menus.ios,
      add: ["Settings", "Mobile Data", "Add eSIM", "Use QR Code"],
      data: ["Settings", "Mobile Data", "Mobile Data"],
      roaming: ["Settings", "Mobile Data", "Travel", "Data Roaming"],
    },
    iosLegacyAdd: ["Settings", "Mobile Data", "Add Data Plan"],
  },
};

const spanish: Copy = {
  title: "Instala tu eSIM de viaje",
  intro: (device) => `Cómo instalar tu eSIM en tu ${device}.`,
  installed: (device) => `Tu eSIM ya está instalada en tu ${device}. Así te conectas cuando llegues.`,
  noEsim:
    "Todavía no tienes una eSIM. Cuando se reserve tu viaje, tu eSIM y los pasos para instalarla aparecerán aquí.",
  watch:
    "Las eSIM de viaje funcionan en teléfonos y tabletas, no en relojes. Abre estas instrucciones en tu teléfono para instalar allí la eSIM.",
  wifi: {
    title: "Conéctate a una red Wi-Fi",
    body: "Instala la eSIM antes de viajar, con conexión Wi-Fi. Solo tarda unos dos minutos.",
  },
  oneTap: {
    title: "Instala con un toque",
    body: "En este dispositivo, pulsa el botón de abajo y sigue los pasos en pantalla.",
  },
  button: "Instalar eSIM",
  scan: {
    title: "Escanea el código QR",
    body: (path) =>
      `Muestra este código en otra pantalla o imprímelo. Después, en este dispositivo, ve a ${path} y escanéalo con la cámara.`,
  },
  manualTitle: "O introduce los datos a mano",
  fallbackTitle: "Si el botón no funciona",
  manualBody: (path, option) => `Ve a ${path}, elige «${option}» e introduce:`,
  smdp: "Dirección SM-DP+",
  code: "Código de activación",
  qrLabel: "Código QR de tu eSIM",
  label: {
    title: "Llámala «Viaje»",
    body: "Cuando te pida una etiqueta, llama a la nueva eSIM «Viaje» para distinguirla de tu SIM habitual.",
  },
  data: {
    title: "Usa la eSIM de viaje para los datos móviles",
    body: (path) =>
      `En ${path}, elige la eSIM de viaje para los datos móviles. Mantén tu SIM habitual para llamadas y SMS.`,
  },
  roaming: {
    title: "Al llegar, activa la itinerancia de datos",
    body: (path) =>
      `Ve a ${path} y activa la itinerancia de datos solo para la eSIM de viaje. Déjala desactivada en tu SIM habitual para evitar cargos.`,
  },
  keep: {
    title: "No borres la eSIM",
    body: "Conserva la eSIM en tu dispositivo después del viaje. Solo se puede instalar una vez y las recargas de tus próximos viajes se añaden a ella.",
  },
  iccid: "Número de la eSIM (ICCID)",
  menus: {
    ios: {
      add: ["Ajustes", "Datos móviles", "Añadir eSIM", "Usar código QR"],
      manual: "Introducir los datos manualmente",
      data: ["Ajustes", "Datos móviles", "Datos móviles"],
      roaming: ["Ajustes", "Datos móviles", "Viaje", "Itinerancia de datos"],
    },
    iosLegacyAdd: ["Ajustes", "Datos móviles", "Añadir plan de datos"],
    samsung: {
      add: ["Ajustes", "Conexiones", "Administrador de tarjetas SIM", "Añadir eSIM", "Escanear código QR"],
      manual: "Introducir código de activación",
      data: ["Ajustes", "Conexiones", "Administrador de tarjetas SIM", "Datos móviles"],
      roaming: ["Ajustes", "Conexiones", "Redes móviles", "Itinerancia de datos"],
    },
    android: {
      add: ["Ajustes", "Redes e Internet", "SIMs", "Descargar una SIM"],
      manual: "Introducirlo manualmente",
      data: ["Ajustes", "Redes e Internet", "SIMs", "Viaje", "Datos móviles"],
      roaming: ["Ajustes", "Redes e Internet", "SIMs", "Viaje", "Itinerancia"],
    },
  },
};

const french: Copy = {
  title: "Installez votre eSIM de voyage",
  intro: (device) => `Comment installer votre eSIM sur votre ${device}.`,
  installed: (device) =>
    `Votre eSIM est déjà installée sur votre ${device}. Voici comment vous connecter à votre arrivée.`,
  noEsim:
    "Vous n’avez pas encore d’eSIM. Dès que votre voyage sera réservé, votre eSIM et les étapes pour l’installer apparaîtront ici.",
  watch:
    "Les eSIM de voyage fonctionnent sur les téléphones et les tablettes, pas sur les montres. Ouvrez ces instructions sur votre téléphone pour y installer l’eSIM.",
  wifi: {
    title: "Connectez-vous au Wi-Fi",
    body: "Installez l’eSIM avant de partir, en étant connecté au Wi-Fi. Cela prend environ deux minutes.",
  },
  oneTap: {
    title: "Installez en un geste",
    body: "Sur cet appareil, touchez le bouton ci-dessous et suivez les étapes à l’écran.",
  },
  button: "Installer l’eSIM",
  scan: {
    title: "Scannez le code QR",
    body: (path) =>
      `Affichez ce code sur un autre écran ou imprimez-le. Puis, sur cet appareil, allez dans ${path} et scannez-le avec l’appareil photo.`,
  },
  manualTitle: "Ou saisissez les informations à la main",
  fallbackTitle: "Si le bouton ne fonctionne pas",
  manualBody: (path, option) => `Allez dans ${path}, choisissez « ${option} » et saisissez :`,
  smdp: "Adresse SM-DP+",
  code: "Code d’activation",
  qrLabel: "Code QR de votre eSIM",
  label: {
    title: "Nommez-la « Voyage »",
    body: "Quand un libellé vous est demandé, appelez la nouvelle eSIM « Voyage » pour la distinguer de votre SIM habituelle.",
  },
  data: {
    title: "Utilisez l’eSIM de voyage pour les données mobiles",
    body: (path) =>
      `Dans ${path}, choisissez l’eSIM de voyage pour les données mobiles. Gardez votre SIM habituelle pour les appels et les SMS.`,
  },
  roaming: {
    title: "À l’arrivée, activez l’itinérance des données",
    body: (path) =>
      `Allez dans ${path} et activez l’itinérance des données pour l’eSIM de voyage uniquement. Laissez-la désactivée sur votre SIM habituelle pour éviter des frais.`,
  },
  keep: {
    title: "Ne supprimez pas l’eSIM",
    body: "Gardez l’eSIM sur votre appareil après le voyage. Elle ne s’installe qu’une seule fois, et les recharges de vos prochains voyages s’y ajoutent.",
  },
  iccid: "Numéro de l’eSIM (ICCID)",
  menus: {
    ios: {
      add: ["Réglages", "Données cellulaires", "Ajouter un eSIM", "Utiliser un code QR"],
      manual: "Saisir les informations manuellement",
      data: ["Réglages", "Données cellulaires", "Données cellulaires"],
      roaming: ["Réglages", "Données cellulaires", "Voyage", "Itinérance des données"],
    },
    iosLegacyAdd: ["Réglages", "Données cellulaires", "Ajouter un forfait cellulaire"],
    samsung: {
      add: ["Paramètres", "Connexions", "Gestionnaire de cartes SIM", "Ajouter un eSIM", "Scanner le code QR"],
      manual: "Saisir le code d’activation",
      data: ["Paramètres", "Connexions", "Gestionnaire de cartes SIM", "Données mobiles"],
      roaming: ["Paramètres", "Connexions", "Réseaux mobiles", "Itinérance des données"],
    },
    android: {
      add: ["Paramètres", "Réseau et Internet", "SIM", "Télécharger une SIM"],
      manual: "Saisir manuellement",
      data: ["Paramètres", "Réseau et Internet", "SIM", "Voyage", "Données mobiles"],
      roaming: ["Paramètres", "Réseau et Internet", "SIM", "Voyage", "Itinérance"],
    },
  },
};

const german: Copy = {
  title: "Installieren Sie Ihre Reise-eSIM",
  intro: (device) => `So installieren Sie Ihre eSIM auf Ihrem ${device}.`,
  installed: (device) => `Ihre eSIM ist bereits auf Ihrem ${device} installiert. So gehen Sie nach der Ankunft online.`,
  noEsim:
    "Sie haben noch keine eSIM. Sobald Ihre Reise gebucht ist, erscheinen hier Ihre eSIM und die Schritte zur Installation.",
  watch:
    "Reise-eSIMs funktionieren auf Smartphones und Tablets, nicht auf Uhren. Öffnen Sie diese Anleitung auf Ihrem Smartphone, um die eSIM dort zu installieren.",
  wifi: {
    title: "Mit dem WLAN verbinden",
    body: "Installieren Sie die eSIM vor der Reise, während Sie mit einem WLAN verbunden sind. Das dauert etwa zwei Minuten.",
  },
  oneTap: {
    title: "Mit einem Tippen installieren",
    body: "Tippen Sie auf diesem Gerät auf die Schaltfläche unten und folgen Sie den Schritten auf dem Bildschirm.",
  },
  button: "eSIM installieren",
  scan: {
    title: "QR-Code scannen",
    body: (path) =>
      `Zeigen Sie diesen Code auf einem anderen Bildschirm an oder drucken Sie ihn aus. Öffnen Sie dann auf diesem Gerät ${path} und scannen Sie ihn mit der Kamera.`,
  },
  manualTitle: "Oder Daten von Hand eingeben",
  fallbackTitle: "Wenn die Schaltfläche nicht funktioniert",
  manualBody: (path, option) => `Öffnen Sie ${path}, wählen Sie „${option}“ und geben Sie Folgendes ein:`,
  smdp: "SM-DP+-Adresse",
  code: "Aktivierungscode",
  qrLabel: "QR-Code Ihrer eSIM",
  label: {
    title: "Nennen Sie sie „Reise“",
    body: "Wenn nach einer Bezeichnung gefragt wird, nennen Sie die neue eSIM „Reise“, damit Sie sie von Ihrer gewohnten SIM unterscheiden können.",
  },
  data: {
    title: "Reise-eSIM für mobile Daten nutzen",
    body: (path) =>
      `Wählen Sie unter ${path} die Reise-eSIM für mobile Daten. Behalten Sie Ihre gewohnte SIM für Anrufe und SMS.`,
  },
  roaming: {
    title: "Bei Ankunft Datenroaming einschalten",
    body: (path) =>
      `Öffnen Sie ${path} und schalten Sie Datenroaming nur für die Reise-eSIM ein. Lassen Sie es bei Ihrer gewohnten SIM aus, um Kosten zu vermeiden.`,
  },
  keep: {
    title: "Löschen Sie die eSIM nicht",
    body: "Behalten Sie die eSIM nach der Reise auf Ihrem Gerät. Sie lässt sich nur einmal installieren, und Aufladungen für Ihre nächsten Reisen kommen auf dieselbe eSIM.",
  },
  iccid: "eSIM-Nummer (ICCID)",
  menus: {
    ios: {
      add: ["Einstellungen", "Mobilfunk", "eSIM hinzufügen", "QR-Code verwenden"],
      manual: "Details manuell eingeben",
      data: ["Einstellungen", "Mobilfunk", "Mobile Daten"],
      roaming: ["Einstellungen", "Mobilfunk", "Reise", "Datenroaming"],
    },
    iosLegacyAdd: ["Einstellungen", "Mobilfunk", "Mobilfunktarif hinzufügen"],
    samsung: {
      add: ["Einstellungen", "Verbindungen", "SIM-Manager", "eSIM hinzufügen", "QR-Code scannen"],
      manual: "Aktivierungscode eingeben",
      data: ["Einstellungen", "Verbindungen", "SIM-Manager", "Mobile Daten"],
      roaming: ["Einstellungen", "Verbindungen", "Mobile Netzwerke", "Datenroaming"],
    },
    android: {
      add: ["Einstellungen", "Netzwerk & Internet", "SIMs", "SIM herunterladen"],
      manual: "Manuell eingeben",
      data: ["Einstellungen", "Netzwerk & Internet", "SIMs", "Reise", "Mobile Daten"],
      roaming: ["Einstellungen", "Netzwerk & Internet", "SIMs", "Reise", "Roaming"],
    },
  },
};

const dutch: Copy = {
  title: "Installeer je reis-eSIM",
  intro: (device) => `Zo installeer je je eSIM op je ${device}.`,
  installed: (device) => `Je eSIM staat al op je ${device}. Zo ga je online als je aankomt.`,
  noEsim: "Je hebt nog geen eSIM. Zodra je reis is geboekt, verschijnen je eSIM en de installatiestappen hier.",
  watch:
    "Reis-eSIM's werken op telefoons en tablets, niet op horloges. Open deze instructies op je telefoon om de eSIM daar te installeren.",
  wifi: {
    title: "Maak verbinding met wifi",
    body: "Installeer de eSIM vóór vertrek, terwijl je met wifi verbonden bent. Het duurt ongeveer twee minuten.",
  },
  oneTap: {
    title: "Installeer met één tik",
    body: "Tik op dit apparaat op de knop hieronder en volg de stappen op het scherm.",
  },
  button: "eSIM installeren",
  scan: {
    title: "Scan de QR-code",
    body: (path) =>
      `Toon deze code op een ander scherm of print hem. Ga daarna op dit apparaat naar ${path} en scan hem met de camera.`,
  },
  manualTitle: "Of vul de gegevens zelf in",
  fallbackTitle: "Werkt de knop niet?",
  manualBody: (path, option) => `Ga naar ${path}, kies ‘${option}’ en vul dit in:`,
  smdp: "SM-DP+-adres",
  code: "Activeringscode",
  qrLabel: "QR-code van je eSIM",
  label: {
    title: "Noem hem ‘Reis’",
    body: "Als om een label wordt gevraagd, noem de nieuwe eSIM ‘Reis’, zodat je hem van je gewone simkaart kunt onderscheiden.",
  },
  data: {
    title: "Gebruik de reis-eSIM voor mobiele data",
    body: (path) => `Kies in ${path} de reis-eSIM voor mobiele data. Houd je gewone simkaart voor bellen en sms.`,
  },
  roaming: {
    title: "Zet bij aankomst dataroaming aan",
    body: (path) =>
      `Ga naar ${path} en zet dataroaming alleen aan voor de reis-eSIM. Laat het uit op je gewone simkaart om kosten te voorkomen.`,
  },
  keep: {
    title: "Verwijder de eSIM niet",
    body: "Laat de eSIM na je reis op je apparaat staan. Hij kan maar één keer worden geïnstalleerd, en opwaarderingen voor je volgende reizen komen erop.",
  },
  iccid: "eSIM-nummer (ICCID)",
  menus: {
    ios: {
      add: ["Instellingen", "Mobiel netwerk", "Voeg eSIM toe", "Gebruik QR-code"],
      manual: "Voer gegevens handmatig in",
      data: ["Instellingen", "Mobiel netwerk", "Mobiele data"],
      roaming: ["Instellingen", "Mobiel netwerk", "Reis", "Dataroaming"],
    },
    iosLegacyAdd: ["Instellingen", "Mobiel netwerk", "Voeg mobiel abonnement toe"],
    samsung: {
      add: ["Instellingen", "Verbindingen", "Simkaartbeheer", "eSIM toevoegen", "QR-code scannen"],
      manual: "Activeringscode invoeren",
      data: ["Instellingen", "Verbindingen", "Simkaartbeheer", "Mobiele data"],
      roaming: ["Instellingen", "Verbindingen", "Mobiele netwerken", "Dataroaming"],
    },
    android: {
      add: ["Instellingen", "Netwerk en internet", "Simkaarten", "Een simkaart downloaden"],
      manual: "Handmatig invoeren",
      data: ["Instellingen", "Netwerk en internet", "Simkaarten", "Reis", "Mobiele data"],
      roaming: ["Instellingen", "Netwerk en internet", "Simkaarten", "Reis", "Roaming"],
    },
  },
};

const italian: Copy = {
  title: "Installa la tua eSIM da viaggio",
  intro: (device) => `Come installare la tua eSIM sul tuo ${device}.`,
  installed: (device) => `La tua eSIM è già installata sul tuo ${device}. Ecco come connetterti all’arrivo.`,
  noEsim:
    "Non hai ancora una eSIM. Quando il tuo viaggio sarà prenotato, la eSIM e i passaggi per installarla compariranno qui.",
  watch:
    "Le eSIM da viaggio funzionano su telefoni e tablet, non sugli orologi. Apri queste istruzioni sul telefono per installare lì la eSIM.",
  wifi: {
    title: "Connettiti al Wi-Fi",
    body: "Installa la eSIM prima di partire, mentre sei connesso al Wi-Fi. Ci vogliono circa due minuti.",
  },
  oneTap: {
    title: "Installa con un tocco",
    body: "Su questo dispositivo, tocca il pulsante qui sotto e segui i passaggi sullo schermo.",
  },
  button: "Installa eSIM",
  scan: {
    title: "Scansiona il codice QR",
    body: (path) =>
      `Mostra questo codice su un altro schermo o stampalo. Poi, su questo dispositivo, vai in ${path} e scansionalo con la fotocamera.`,
  },
  manualTitle: "Oppure inserisci i dati a mano",
  fallbackTitle: "Se il pulsante non funziona",
  manualBody: (path, option) => `Vai in ${path}, scegli «${option}» e inserisci:`,
  smdp: "Indirizzo SM-DP+",
  code: "Codice di attivazione",
  qrLabel: "Codice QR della tua eSIM",
  label: {
    title: "Chiamala «Viaggio»",
    body: "Quando ti viene chiesta un’etichetta, chiama la nuova eSIM «Viaggio» per distinguerla dalla tua SIM abituale.",
  },
  data: {
    title: "Usa la eSIM da viaggio per i dati mobili",
    body: (path) =>
      `In ${path}, scegli la eSIM da viaggio per i dati mobili. Tieni la tua SIM abituale per chiamate e SMS.`,
  },
  roaming: {
    title: "All’arrivo, attiva il roaming dati",
    body: (path) =>
      `Vai in ${path} e attiva il roaming dati solo per la eSIM da viaggio. Lascialo disattivato sulla tua SIM abituale per evitare costi.`,
  },
  keep: {
    title: "Non eliminare la eSIM",
    body: "Tieni la eSIM sul dispositivo dopo il viaggio. Si può installare una sola volta e le ricariche dei tuoi prossimi viaggi vengono aggiunte a questa.",
  },
  iccid: "Numero della eSIM (ICCID)",
  menus: {
    ios: {
      add: ["Impostazioni", "Cellulare", "Aggiungi eSIM", "Usa codice QR"],
      manual: "Inserisci i dettagli manualmente",
      data: ["Impostazioni", "Cellulare", "Dati cellulare"],
      roaming: ["Impostazioni", "Cellulare", "Viaggio", "Roaming dati"],
    },
    iosLegacyAdd: ["Impostazioni", "Cellulare", "Aggiungi piano cellulare"],
    samsung: {
      add: ["Impostazioni", "Connessioni", "Gestione SIM", "Aggiungi eSIM", "Scansiona codice QR"],
      manual: "Inserisci codice di attivazione",
      data: ["Impostazioni", "Connessioni", "Gestione SIM", "Dati mobili"],
      roaming: ["Impostazioni", "Connessioni", "Reti mobili", "Roaming dati"],
    },
    android: {
      add: ["Impostazioni", "Rete e Internet", "SIM", "Scarica una SIM"],
      manual: "Inseriscilo manualmente",
      data: ["Impostazioni", "Rete e Internet", "SIM", "Viaggio", "Dati mobili"],
      roaming: ["Impostazioni", "Rete e Internet", "SIM", "Viaggio", "Roaming"],
    },
  },
};

// European Portuguese (pt-PT is in Hubby's locale list; pt-BR readers will understand it).
const portuguese: Copy = {
  title: "Instale o seu eSIM de viagem",
  intro: (device) => `Como instalar o seu eSIM no seu ${device}.`,
  installed: (device) => `O seu eSIM já está instalado no seu ${device}. Veja como se ligar à Internet quando chegar.`,
  noEsim:
    "Ainda não tem um eSIM. Assim que a sua viagem for reservada, o seu eSIM e os passos para o instalar aparecem aqui.",
  watch:
    "Os eSIM de viagem funcionam em telemóveis e tablets, não em relógios. Abra estas instruções no telemóvel para instalar lá o eSIM.",
  wifi: {
    title: "Ligue-se a uma rede Wi-Fi",
    body: "Instale o eSIM antes de viajar, com ligação Wi-Fi. Demora cerca de dois minutos.",
  },
  oneTap: { title: "Instale com um toque", body: "Neste dispositivo, toque no botão abaixo e siga os passos no ecrã." },
  button: "Instalar eSIM",
  scan: {
    title: "Leia o código QR",
    body: (path) =>
      `Mostre este código noutro ecrã ou imprima-o. Depois, neste dispositivo, vá a ${path} e leia-o com a câmara.`,
  },
  manualTitle: "Ou introduza os dados à mão",
  fallbackTitle: "Se o botão não funcionar",
  manualBody: (path, option) => `Vá a ${path}, escolha «${option}» e introduza:`,
  smdp: "Endereço SM-DP+",
  code: "Código de ativação",
  qrLabel: "Código QR do seu eSIM",
  label: {
    title: "Chame-lhe «Viagem»",
    body: "Quando lhe pedirem uma etiqueta, chame «Viagem» ao novo eSIM para o distinguir do seu SIM habitual.",
  },
  data: {
    title: "Use o eSIM de viagem para dados móveis",
    body: (path) =>
      `Em ${path}, escolha o eSIM de viagem para dados móveis. Mantenha o seu SIM habitual para chamadas e SMS.`,
  },
  roaming: {
    title: "À chegada, ative o roaming de dados",
    body: (path) =>
      `Vá a ${path} e ative o roaming de dados apenas no eSIM de viagem. Deixe-o desativado no seu SIM habitual para evitar custos.`,
  },
  keep: {
    title: "Não apague o eSIM",
    body: "Mantenha o eSIM no dispositivo depois da viagem. Só pode ser instalado uma vez, e os carregamentos das próximas viagens são adicionados a ele.",
  },
  iccid: "Número do eSIM (ICCID)",
  menus: {
    ios: {
      add: ["Definições", "Rede móvel", "Adicionar eSIM", "Usar código QR"],
      manual: "Introduzir dados manualmente",
      data: ["Definições", "Rede móvel", "Dados móveis"],
      roaming: ["Definições", "Rede móvel", "Viagem", "Roaming de dados"],
    },
    iosLegacyAdd: ["Definições", "Rede móvel", "Adicionar tarifário móvel"],
    samsung: {
      add: ["Definições", "Ligações", "Gestor de cartões SIM", "Adicionar eSIM", "Ler código QR"],
      manual: "Introduzir código de ativação",
      data: ["Definições", "Ligações", "Gestor de cartões SIM", "Dados móveis"],
      roaming: ["Definições", "Ligações", "Redes móveis", "Roaming de dados"],
    },
    android: {
      add: ["Definições", "Rede e Internet", "SIMs", "Transferir um SIM"],
      manual: "Introduzir manualmente",
      data: ["Definições", "Rede e Internet", "SIMs", "Viagem", "Dados móveis"],
      roaming: ["Definições", "Rede e Internet", "SIMs", "Viagem", "Roaming"],
    },
  },
};

const copies: Record<string, Copy> = {
  en: english,
  "en-GB": britishEnglish,
  es: spanish,
  fr: french,
  de: german,
  nl: dutch,
  it: italian,
  pt: portuguese,
};

/**
 * The text to use for a locale, matched on its language ("es-ES" → "es"; "mk-MK" → "en"). English outside the
 * US and Canada gets British iPhone menu names ("en-GB").
 */
export function languageFor(locale: string | null | undefined): string {
  const [language = "", region = ""] = (locale ?? "").trim().split(/[-_]/);
  const lang = language.toLowerCase();
  if (lang === "en") return region && !["US", "CA"].includes(region.toUpperCase()) ? "en-GB" : "en";
  return copies[lang] ? lang : "en";
}

// ── Steps ───────────────────────────────────────────────────────────────────────────────────────────────────

type Step = {
  title: string;
  body: string;
  link?: { href: string; label: string };
  /** The LPA string to show as a QR code. */
  qr?: string;
  manual?: { smdpAddress: string; matchingId: string };
};

type Instructions = { language: string; copy: Copy; intro: string; steps: Step[] };

const menuPath = (labels: string[]) => labels.join(" › ");
const isWatch = (input: InstructionsRenderInput) => input.device_type?.trim().toLowerCase() === "watch";

function majorVersion(version: string | number): number {
  return Number(/\d+/.exec(String(version))?.[0] ?? 0);
}

function buildInstructions(input: InstructionsRenderInput): Instructions {
  const language = languageFor(input.locale);
  const copy = copies[language]!;
  const device = input.device_name.trim();
  const os = /^i(pad)?os$/i.test(input.phone_os.trim()) ? "ios" : "android";
  const brand = brandFromDeviceName(device);
  const platform: Platform = os === "ios" ? "ios" : brand === "Samsung" ? "samsung" : "android";
  const menus = copy.menus[platform];
  const afterInstall: Step[] = [
    { title: copy.data.title, body: copy.data.body(menuPath(menus.data)) },
    { title: copy.roaming.title, body: copy.roaming.body(menuPath(menus.roaming)) },
    copy.keep,
  ];

  if (isWatch(input)) return { language, copy, intro: copy.watch, steps: [] };
  if (!input.esim) return { language, copy, intro: copy.noEsim, steps: [] };
  if (["INSTALLED", "ENABLED"].includes(input.esim.status?.toUpperCase() ?? "")) {
    return { language, copy, intro: copy.installed(device), steps: afterInstall };
  }

  const lpa = input.esim.qr.trim();
  const manual = parseLpa(lpa);
  // iOS before 16 called the screen "Add Cellular Plan".
  const addPath = menuPath(os === "ios" && majorVersion(input.os_version) < 16 ? copy.menus.iosLegacyAdd : menus.add);
  const steps: Step[] = [copy.wifi];
  if (supportsProgrammaticInstall(os, input.os_version, os === "android" ? brand : undefined)) {
    const host = os === "ios" ? "esimsetup.apple.com" : "esimsetup.android.com";
    const href = `https://${host}/esim_qrcode_provisioning?carddata=${encodeURIComponent(lpa)}`;
    steps.push({ ...copy.oneTap, link: { href, label: copy.button } });
    if (manual) steps.push({ title: copy.fallbackTitle, body: copy.manualBody(addPath, menus.manual), manual });
  } else {
    steps.push({ title: copy.scan.title, body: copy.scan.body(addPath), qr: lpa });
    if (manual) steps.push({ title: copy.manualTitle, body: copy.manualBody(addPath, menus.manual), manual });
  }
  steps.push(copy.label, ...afterInstall);
  return { language, copy, intro: copy.intro(device), steps };
}

// ── JSON ────────────────────────────────────────────────────────────────────────────────────────────────────

export type InstructionsJson = {
  locale: string;
  title: string;
  intro: string;
  steps: { title: string; body: string; qr?: string; smdp_address?: string; activation_code?: string }[];
  links: { href: string; label: string }[];
  iccid: string | null;
};

/** The same content as the HTML, for apps that render it themselves (`format: "json"`). */
export function renderInstructionsJson(input: InstructionsRenderInput): InstructionsJson {
  const { language, copy, intro, steps } = buildInstructions(input);
  return {
    locale: language,
    title: copy.title,
    intro,
    steps: steps.map((step) => ({
      title: step.title,
      body: step.body,
      ...(step.qr ? { qr: step.qr } : {}),
      ...(step.manual ? { smdp_address: step.manual.smdpAddress, activation_code: step.manual.matchingId } : {}),
    })),
    links: steps.flatMap((step) => (step.link ? [step.link] : [])),
    iccid: input.esim?.iccid ?? null,
  };
}

/** The same content as Markdown (`format: "markdown"`). */
export function renderInstructionsMarkdown(input: InstructionsRenderInput): string {
  const json = renderInstructionsJson(input);
  const lines = [`# ${json.title}`, "", json.intro, ""];
  json.steps.forEach((step, index) => {
    lines.push(`${index + 1}. **${step.title}**`, `   ${step.body}`);
    if (step.smdp_address) lines.push(`   - SM-DP+: \`${step.smdp_address}\``);
    if (step.activation_code) lines.push(`   - Code: \`${step.activation_code}\``);
    if (step.qr) lines.push(`   - QR: \`${step.qr}\``);
  });
  for (const link of json.links) lines.push("", `[${link.label}](${link.href})`);
  if (json.iccid) lines.push("", `ICCID: \`${json.iccid}\``);
  return `${lines.join("\n")}\n`;
}

// ── HTML ────────────────────────────────────────────────────────────────────────────────────────────────────

const DEFAULT_PRIMARY = "#0f766e";
const DEFAULT_SECONDARY = "#f59e0b";

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function safeColour(value: string | null | undefined, fallback: string): string {
  return value && /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(value.trim()) ? value.trim().toLowerCase() : fallback;
}

/** Black or white, whichever reads better on the colour (WCAG relative luminance). */
function textColourOn(hex: string): string {
  const digits = hex.length === 4 ? [...hex.slice(1)].map((d) => d + d).join("") : hex.slice(1);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const channel = Number.parseInt(digits.slice(i, i + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b! > 0.179 ? "#000000" : "#ffffff";
}

// Font names go into CSS, so only plain names pass.
function safeFont(value: string | null | undefined): string | undefined {
  return value && /^[A-Za-z0-9][A-Za-z0-9 -]{0,39}$/.test(value.trim()) ? value.trim() : undefined;
}

function safeLogoUrl(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value.trim());
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

async function stepHtml(step: Step, copy: Copy): Promise<string> {
  const parts = [`<h2>${escapeHtml(step.title)}</h2>`, `<p>${escapeHtml(step.body)}</p>`];
  if (step.link) {
    parts.push(`<p><a class="button" href="${escapeHtml(step.link.href)}">${escapeHtml(step.link.label)}</a></p>`);
  }
  if (step.qr) {
    // qrcode draws the SVG from module data only; the LPA text itself never reaches the markup.
    const svg = await QRCode.toString(step.qr, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
    parts.push(`<figure class="qr" role="img" aria-label="${escapeHtml(copy.qrLabel)}">${svg.trim()}</figure>`);
  }
  if (step.manual) {
    parts.push(
      `<dl><dt>${escapeHtml(copy.smdp)}</dt><dd><code>${escapeHtml(step.manual.smdpAddress)}</code></dd>` +
        `<dt>${escapeHtml(copy.code)}</dt><dd><code>${escapeHtml(step.manual.matchingId)}</code></dd></dl>`,
    );
  }
  return `<li>${parts.join("")}</li>`;
}

// Nothing may load or run: only inline styles and images (the logo, from http(s)).
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const STATIC_CSS = `* { box-sizing: border-box; }
body { margin: 0; line-height: 1.5; color: #1f2937; background: #fff; }
header { display: flex; align-items: center; gap: 12px; padding: 16px 20px; border-bottom: 4px solid var(--brand-secondary); }
header img { max-height: 40px; max-width: 200px; }
main { max-width: 600px; margin: 0 auto; padding: 20px; }
h1 { margin: 0 0 8px; font-size: 1.5rem; color: var(--brand-primary); }
h2 { margin: 0 0 4px; font-size: 1.05rem; }
ol { list-style: none; counter-reset: step; padding: 0; }
li { counter-increment: step; position: relative; margin: 0 0 20px; padding-left: 44px; }
li::before {
  content: counter(step); position: absolute; left: 0; top: 0; width: 30px; height: 30px; border-radius: 50%;
  display: flex; align-items: center; justify-content: center; font-weight: 700;
  background: var(--brand-secondary); color: var(--brand-on-secondary);
}
.button {
  display: inline-block; padding: 12px 20px; border-radius: 10px; font-weight: 600; text-decoration: none;
  background: var(--brand-primary); color: var(--brand-on-primary);
}
.qr { margin: 8px 0; width: 220px; max-width: 100%; }
.qr svg { display: block; width: 100%; height: auto; }
dl { margin: 8px 0; } dt { font-weight: 600; } dd { margin: 0 0 8px; }
code { font-size: .95em; word-break: break-all; background: #f3f4f6; padding: 2px 6px; border-radius: 4px; }
.iccid { color: #6b7280; font-size: .875rem; }`;

/** A standalone, branded HTML page of the instructions. */
export async function renderInstructionsHtml(input: InstructionsRenderInput): Promise<string> {
  const { language, copy, intro, steps } = buildInstructions(input);
  const primary = safeColour(input.branding.primary_color, DEFAULT_PRIMARY);
  const secondary = safeColour(input.branding.secondary_color, DEFAULT_SECONDARY);
  const font = safeFont(input.branding.font);
  const logo = safeLogoUrl(input.branding.logo);
  const brandName = escapeHtml(input.branding.name);
  const items = await Promise.all(steps.map((step) => stepHtml(step, copy)));

  const iccid =
    input.esim && !isWatch(input)
      ? `<p class="iccid">${escapeHtml(copy.iccid)}: <code>${escapeHtml(input.esim.iccid)}</code></p>`
      : "";

  return `<!doctype html>
<html lang="${escapeHtml(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<title>${escapeHtml(copy.title)}${brandName ? ` · ${brandName}` : ""}</title>
<style>
:root {
  --brand-primary: ${primary};
  --brand-on-primary: ${textColourOn(primary)};
  --brand-secondary: ${secondary};
  --brand-on-secondary: ${textColourOn(secondary)};
}
body { font-family: ${font ? `"${font}", ` : ""}system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
${STATIC_CSS}
</style>
</head>
<body>
<header>${logo ? `<img src="${escapeHtml(logo)}" alt="${brandName}">` : `<strong>${brandName}</strong>`}</header>
<main>
<h1>${escapeHtml(copy.title)}</h1>
<p>${escapeHtml(intro)}</p>
${items.length ? `<ol>\n${items.join("\n")}\n</ol>` : ""}
${iccid}
</main>
</body>
</html>
`;
}
