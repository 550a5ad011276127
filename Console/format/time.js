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
 * Today (or today + days) in the clinic's zone, as YYYY-MM-DD.
 * @param {number} [days]
 */
export function clinicDate(days = 0) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: session.clinic().timeZone, year: "numeric", month: "2-digit", day: "2-digit",
  }).formatToParts(new Date(Date.now() + days * 86_400_000));
  /** @param {string} type */
  const part = (type) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}
