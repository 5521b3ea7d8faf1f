import type { Random } from "./random";
import { advance, createBooking, demoBookingInput, demoExternalUserId, type Emit } from "./simulation";
import { DAY, HOUR, newTraveler, type World } from "./world";

/**
 * Demo data: travelers booked over the last six weeks, simulated up to now so they sit in every state (waiting
 * for a booking, eSIM not installed, installed, active with usage, depleted, expired, topped up, removed) and
 * the webhook history they produced is delivered to the console like live events.
 */

const HISTORY_DAYS = 42;
const firstNames = [
  "Ana",
  "Bram",
  "Chloé",
  "Daan",
  "Elena",
  "Femke",
  "Giulia",
  "Hugo",
  "Ines",
  "Jonas",
  "Kai",
  "Lucía",
  "Mila",
  "Noah",
  "Olga",
  "Pieter",
  "Rosa",
  "Sven",
  "Tess",
  "Yara",
];
const lastNames = [
  "de Vries",
  "García",
  "Rossi",
  "Müller",
  "Jansen",
  "Silva",
  "Dubois",
  "Bakker",
  "Novak",
  "Kowalski",
  "Lindqvist",
  "Costa",
];

export function seedWorld(world: World, random: Random, options: { travelers: number; now: number; emit: Emit }) {
  const start = options.now - HISTORY_DAYS * DAY;
  world.simulatedUntil = start;

  type Plan = { at: number; externalUserId: string; fullName: string; departureIn: number; topUp: boolean };
  const plans: Plan[] = [];
  const taken = new Set<string>();
  const waiting = Math.max(1, Math.round(options.travelers * 0.06));
  for (let index = 0; index < options.travelers - waiting; index++) {
    let externalUserId = demoExternalUserId(world, random);
    while (taken.has(externalUserId)) externalUserId = demoExternalUserId(world, random);
    taken.add(externalUserId);
    const fullName = `${random.pick(firstNames)} ${random.pick(lastNames)}`;
    const at = start + Math.round(random.next() * (HISTORY_DAYS - 1) * DAY);
    // Spread departures so some trips are over, some under way and some still ahead.
    const departureIn = random.int(6, 24 * 30) * HOUR;
    plans.push({ at, externalUserId, fullName, departureIn, topUp: false });
    if (random.chance(0.2)) {
      plans.push({
        at: at + departureIn + random.int(2, 6) * DAY,
        externalUserId,
        fullName,
        departureIn: 2 * HOUR,
        topUp: true,
      });
    }
  }
  plans.sort((a, b) => a.at - b.at);

  for (const plan of plans) {
    if (plan.at >= options.now) continue;
    advanceInSteps(world, random, plan.at, options.emit);
    const input = demoBookingInput(random, plan.externalUserId, plan.at);
    const departure = new Date(plan.at + plan.departureIn).toISOString().replace(/\.\d{3}Z$/, "Z");
    const [first, ...rest] = plan.fullName.split(" ");
    createBooking(
      world,
      random,
      {
        ...input,
        departure_date: plan.topUp ? departure : random.chance(0.85) ? departure : departure.slice(0, 10),
        full_name: plan.fullName,
        email: `${first!.toLowerCase()}.${rest
          .join("")
          .toLowerCase()
          .replace(/[^a-z]/g, "")}@example.com`,
      },
      plan.at,
      options.emit,
    );
  }

  // Travelers who opened the WebView before any booking: "waiting for a booking".
  for (let index = 0; index < waiting; index++) {
    newTraveler(world, random, {
      external_user_id: demoExternalUserId(world, random),
      now: options.now - random.int(1, 20) * DAY,
    });
  }

  advanceInSteps(world, random, options.now, options.emit);
}

function advanceInSteps(world: World, random: Random, until: number, emit: Emit) {
  for (let t = world.simulatedUntil + HOUR; t < until; t += HOUR) advance(world, random, t, emit);
  advance(world, random, until, emit);
}
