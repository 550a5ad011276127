// JSDoc shapes of the API's answers the console reads (CONTRACT.md §2–§5, §9). Types only.

/** @typedef {"admin" | "doctor" | "patient"} Role */
/** @typedef {{id: string, name: string, email: string, role: Role}} User */
/** @typedef {User & {disabled: boolean}} AdminUser */
/** @typedef {{accessToken: string, refreshToken: string, tokenType: string, expiresIn: number, user: User}} TokenPair */
/** @typedef {{name: string, timeZone: string, local?: boolean}} Clinic local: under `hms-sync serve` (§9.7) */
/** @typedef {{id: string, name: string, specialty: string, blacklisted: boolean, email?: string}} Doctor */
/** @typedef {{start: string, end: string, free: boolean}} Slot */
/** @typedef {{id: string, doctorId: string, start: string, end: string, slotMinutes: number}} Window */
/** @typedef {"BOOKED" | "COMPLETED" | "CANCELLED" | "NO_SHOW"} Status */
/**
 * @typedef {{id: string, patientId: string, doctorId: string, start: string, end: string,
 *   status: Status, reason: string | null, diagnosis: string | null, treatment: string | null,
 *   cancelReason?: string | null, createdAt?: string, updatedAt?: string,
 *   doctor: {id: string, name: string, specialty: string}, patient: {id: string, name: string},
 *   pending?: boolean}} Appointment pending: recorded offline, not yet synced (§9.7 serve)
 */
/**
 * @typedef {{totalNoShows: number,
 *   penaltiesByPatient: {patientId: string, name: string, count: number}[],
 *   noShowsByDoctor: {doctorId: string, name: string, count: number}[]}} Metrics
 */
/** @typedef {{id: string, patientId: string, appointmentId: string, doctorId: string, reason: string, createdAt: string}} Penalty */
/**
 * @typedef {{id: string, at: string, actorId: string | null, actorRole: string | null, action: string,
 *   entity: string | null, entityId: string | null, patientId: string | null, outcome: string,
 *   requestId: string | null, clientIp: string | null}} AuditEntry
 */
/** @typedef {{markedNoShow: number, penaltiesCreated: number, emailsQueued: number}} SweepResult */
/**
 * @typedef {{weekdays: number[], startTime: string, endTime: string, slotMinutes: number,
 *   from: string, until: string}} Schedule
 */
/** @typedef {{created: Window[], skipped: {date: string, code: string}[]}} ScheduleResult */
/** @typedef {{online: boolean, pending: number, rejections: number, lastSyncAt: string | null}} LocalStatus */
/**
 * @typedef {{name: string, args: Record<string, unknown>, code: string,
 *   alternatives: {start: string}[]}} Rejection
 */
/**
 * @template T
 * @typedef {{items: T[], nextCursor: string | null}} Page
 */

export {};
