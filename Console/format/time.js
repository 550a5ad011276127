// Dates and times shown in the clinic's time zone (GET /v1/clinic), whatever the browser's zone.
import { session } from "../state/session.js";

/** @param {Intl.DateTimeFormatOptions} options */
const formatter = (options) => new Intl.DateTimeFormat("en-GB", { timeZone: session.clinic().timeZone, ...options });

/**
 * "09:00"
 * @param {string} iso
 */
export const timeOf = (iso) => formatter({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));

/**
 * "Tue 1 Dec 2026"
 * @param {string} iso
 */
export const dayOf = (iso) =>
  formatter({ weekday: "short", day: "numeric", month: "short", year: "numeric" }).format(new Date(iso));

/**
 * "Tue 1 Dec 2026, 09:00"
 * @param {string} iso
 */
export const dateTimeOf = (iso) => `${dayOf(iso)}, ${timeOf(iso)}`;

/**
 * The wall-clock fields of an instant in the clinic's zone.
 * @param {number} ms
 */
function wall(ms) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: session.clinic().timeZone, year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  }).formatToParts(new Date(ms));
  /** @param {string} type */
  const part = (type) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { y: part("year"), mo: part("month"), d: part("day"), h: part("hour"), mi: part("minute"), s: part("second") };
}

/** @param {number} n */
const two = (n) => String(n).padStart(2, "0");

/**
 * The clinic's day of an instant (or now), as YYYY-MM-DD.
 * @param {number} [ms]
 */
export function clinicDay(ms = Date.now()) {
  const w = wall(ms);
  return `${w.y}-${two(w.mo)}-${two(w.d)}`;
}

/**
 * Today (or today + days) in the clinic's zone, as YYYY-MM-DD.
 * @param {number} [days]
 */
export const clinicDate = (days = 0) => clinicDay(Date.now() + days * 86_400_000);

/**
 * YYYY-MM-DD plus whole days (calendar arithmetic, no zone involved).
 * @param {string} date
 * @param {number} days
 */
export function addDays(date, days) {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * The instant of a wall-clock time on a day in the clinic's zone, as RFC 3339 UTC.
 * @param {string} date YYYY-MM-DD
 * @param {string} time HH:MM
 */
export function clinicInstant(date, time) {
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const target = Date.UTC(y, m - 1, d, hh, mm);
  /** @param {number} ms the zone's offset at this instant */
  const offset = (ms) => {
    const w = wall(ms);
    return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - Math.floor(ms / 1000) * 1000;
  };
  let at = target - offset(target);
  at = target - offset(at);
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, "Z");
}
