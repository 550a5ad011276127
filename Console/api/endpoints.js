// One function per /v1 call the console makes (CONTRACT.md §2–§5, §9). Views import these,
// never fetch. Filters left empty are not sent.
import { request } from "./client.js";

/** @typedef {import("./types.js").Appointment} Appointment */
/** @typedef {import("./types.js").Doctor} Doctor */
/** @typedef {import("./types.js").Penalty} Penalty */
/** @typedef {import("./types.js").Window} Window */
/** @typedef {Record<string, string | null | undefined>} Query */
/** @template T @typedef {import("./types.js").Page<T>} Page */

/**
 * `path?query`: encodeURIComponent, not URLSearchParams, since a space must go as %20 (a + is a plus).
 * @param {string} path
 * @param {Query} query
 */
function withQuery(path, query) {
  const text = Object.entries(query).filter(([, value]) => value)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`).join("&");
  return text ? `${path}?${text}` : path;
}

/** @param {string} id */
const enc = (id) => encodeURIComponent(id);

/** @type {() => Promise<import("./types.js").Clinic>} */
export const getClinic = () => request("GET", "/v1/clinic", undefined, { auth: false });

/** @type {(email: string, password: string) => Promise<import("./types.js").TokenPair>} */
export const login = (email, password) => request("POST", "/v1/auth/login", { email, password }, { auth: false });

/** @type {(refreshToken: string) => Promise<null>} */
export const logout = (refreshToken) => request("POST", "/v1/auth/logout", { refreshToken }, { auth: false });

/** @type {() => Promise<import("./types.js").User>} */
export const getMe = () => request("GET", "/v1/me");

/** @type {(specialty?: string, cursor?: string | null) => Promise<Page<Doctor>>} */
export const listDoctors = (specialty, cursor) =>
  request("GET", withQuery("/v1/doctors", { limit: "200", specialty, cursor }));

/** @type {(doctorId: string, date: string) => Promise<Page<import("./types.js").Slot>>} date: YYYY-MM-DD, clinic's zone */
export const listSlots = (doctorId, date) => request("GET", withQuery(`/v1/doctors/${enc(doctorId)}/slots`, { date }));

/** @type {(filters?: Query) => Promise<Page<Appointment>>} status, doctorId, patientId, date, from, to, cursor, limit */
export const listAppointments = (filters = {}) => request("GET", withQuery("/v1/appointments", { limit: "50", ...filters }));

/** @type {(id: string) => Promise<Appointment>} */
export const getAppointment = (id) => request("GET", `/v1/appointments/${enc(id)}`);

/** @type {(booking: {id: string, doctorId: string, start: string, reason?: string}) => Promise<Appointment>} */
export const book = (booking) => request("POST", "/v1/appointments", booking);

/** @type {(id: string, reason?: string) => Promise<Appointment>} */
export const cancel = (id, reason) => request("POST", `/v1/appointments/${enc(id)}/cancel`, reason ? { reason } : {});

/** @type {(id: string, notes: {diagnosis: string, treatment: string}) => Promise<Appointment>} */
export const complete = (id, notes) => request("POST", `/v1/appointments/${enc(id)}/complete`, notes);

/** @type {(from: string, cursor?: string | null) => Promise<Page<Window>>} the caller's windows ending after `from` */
export const listOwnWindows = (from, cursor) =>
  request("GET", withQuery("/v1/doctors/me/availability", { from, limit: "200", cursor }));

/** @type {(window: {start: string, end: string, slotMinutes: number}) => Promise<Window>} */
export const addWindow = (window) => request("POST", "/v1/doctors/me/availability", window);

/** @type {(id: string) => Promise<null>} */
export const deleteWindow = (id) => request("DELETE", `/v1/doctors/me/availability/${enc(id)}`);

/** @type {(schedule: import("./types.js").Schedule) => Promise<import("./types.js").ScheduleResult>} §9.3 */
export const addSchedule = (schedule) => request("POST", "/v1/doctors/me/schedule", schedule);

/** @type {(cursor?: string | null) => Promise<Page<Penalty>>} */
export const listOwnPenalties = (cursor) => request("GET", withQuery("/v1/me/penalties", { cursor }));

/** @type {() => Promise<import("./types.js").Metrics>} */
export const getMetrics = () => request("GET", "/v1/admin/metrics");

/** @type {() => Promise<import("./types.js").SweepResult>} */
export const runNoShowSweep = () => request("POST", "/v1/admin/jobs/no-show");

/** @type {(doctor: {name: string, email: string, password: string, specialty: string}) => Promise<Doctor>} */
export const addDoctor = (doctor) => request("POST", "/v1/admin/doctors", doctor);

/** @type {(id: string, blacklisted: boolean) => Promise<Doctor>} */
export const setBlacklisted = (id, blacklisted) =>
  request("POST", `/v1/admin/doctors/${enc(id)}/${blacklisted ? "blacklist" : "unblacklist"}`);

/** @type {(filters?: Query) => Promise<Page<import("./types.js").AdminUser>>} role, q, cursor, limit */
export const listUsers = (filters = {}) => request("GET", withQuery("/v1/admin/users", { limit: "50", ...filters }));

/** @type {(id: string, disabled: boolean) => Promise<import("./types.js").AdminUser>} */
export const setDisabled = (id, disabled) => request("POST", `/v1/admin/users/${enc(id)}/${disabled ? "disable" : "enable"}`);

/** @type {(filters?: Query) => Promise<Page<Penalty>>} patientId, cursor */
export const listPenalties = (filters = {}) => request("GET", withQuery("/v1/admin/penalties", { limit: "50", ...filters }));

/** @type {(filters?: Query) => Promise<Page<import("./types.js").AuditEntry>>} actorId, patientId, from, to, cursor */
export const listAudit = (filters = {}) => request("GET", withQuery("/v1/admin/audit", { limit: "50", ...filters }));

/** @type {() => Promise<import("./types.js").LocalStatus>} hms-sync serve only (§9.7) */
export const localStatus = () => request("GET", "/v1/local/status");

/** @type {() => Promise<unknown>} */
export const syncNow = () => request("POST", "/v1/local/sync");

/** @type {() => Promise<import("./types.js").Rejection[]>} */
export const rejections = () => request("GET", "/v1/local/rejections");
