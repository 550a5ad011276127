// Plain words for every contract code the console can meet (CONTRACT.md §1): what happened,
// and what to do next. Never the code itself, never the server's raw text.

/** @type {Record<string, string>} */
const MESSAGES = {
  VALIDATION: "Something in the form isn't right. Check the highlighted field and try again.",
  UNAUTHENTICATED: "Your session has ended. Sign in again to carry on.",
  INVALID_CREDENTIALS: "That email and password don't match an account. Check them and try again.",
  FORBIDDEN: "Your role can't do this. Ask a clinic administrator if you need it.",
  BLACKLISTED: "This doctor account is suspended. Contact the clinic's administrator.",
  DISABLED: "This account is disabled. Contact the clinic's administrator.",
  NOT_FOUND: "We couldn't find that. It may have been removed.",
  INVALID_TRANSITION: "That appointment can no longer be changed this way.",
  UNREACHABLE: "The clinic's server can't be reached now. Your changes stay on this laptop.",
  SLOT_TAKEN: "That time was just taken by someone else. Please pick another free time.",
  PATIENT_BUSY: "You already have an appointment at that time. Pick another time.",
  DOCTOR_UNAVAILABLE: "This doctor isn't taking bookings at the moment. Choose another doctor.",
  OVERLAPPING_AVAILABILITY: "That window overlaps one you already have.",
  HAS_BOOKINGS: "That window still has booked appointments, so it can't be removed. Those appointments have to be cancelled first.",
  DUPLICATE: "That already exists.",
  OUTSIDE_AVAILABILITY: "That time isn't one of the doctor's bookable slots. Pick a time from the list.",
  IN_PAST: "That time has already started. Pick a later one.",
  TOO_LATE: "The appointment has already started, so it can't be cancelled any more. Cancelling is possible only before the start time; please call the clinic.",
  TOO_EARLY: "The appointment hasn't started yet, so it can't be completed yet. A visit can be completed from its start time on.",
  PAYLOAD_TOO_LARGE: "That's too much text to send. Shorten it and try again.",
  RATE_LIMITED: "Too many requests. Please slow down and try again shortly.",
  METHOD_NOT_ALLOWED: "This server doesn't offer that yet.",
  INTERNAL: "Something went wrong on the server. Try again; if it keeps happening, tell the clinic.",
  UNAVAILABLE: "The server is unavailable right now. Try again in a minute.",
  NETWORK: "We couldn't reach the server. Check your connection and try again.",
};

/**
 * The sentence to show a person for an API error code.
 * @param {string} code
 * @param {number | null} [retryAfter] seconds, from Retry-After (429 only)
 * @returns {string}
 */
export function messageFor(code, retryAfter = null) {
  if (code === "RATE_LIMITED" && retryAfter) {
    return `Too many requests. Please slow down and try again in ${retryAfter} second${retryAfter === 1 ? "" : "s"}.`;
  }
  return MESSAGES[code] ?? MESSAGES.INTERNAL;
}
