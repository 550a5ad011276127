// JSDoc shapes of the API's answers the console reads (CONTRACT.md §2–§5). Types only.

/** @typedef {"admin" | "doctor" | "patient"} Role */
/** @typedef {{id: string, name: string, email: string, role: Role}} User */
/** @typedef {{accessToken: string, refreshToken: string, tokenType: string, expiresIn: number, user: User}} TokenPair */
/** @typedef {{name: string, timeZone: string}} Clinic */
/** @typedef {{id: string, name: string, specialty: string, blacklisted: boolean}} Doctor */
/** @typedef {{start: string, end: string, free: boolean}} Slot */
/**
 * @typedef {{id: string, patientId: string, doctorId: string, start: string, end: string,
 *   status: "BOOKED" | "COMPLETED" | "CANCELLED" | "NO_SHOW", reason: string | null,
 *   diagnosis: string | null, treatment: string | null,
 *   doctor: {id: string, name: string, specialty: string}, patient: {id: string, name: string}}} Appointment
 */
/**
 * @typedef {{totalNoShows: number,
 *   penaltiesByPatient: {patientId: string, name: string, count: number}[],
 *   noShowsByDoctor: {doctorId: string, name: string, count: number}[]}} Metrics
 */
/**
 * @template T
 * @typedef {{items: T[], nextCursor: string | null}} Page
 */

export {};
