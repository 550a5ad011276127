// One function per /v1 call the console makes. Views import these, never fetch.
import { request } from "./client.js";

/** @typedef {import("./types.js").Clinic} Clinic */
/** @typedef {import("./types.js").TokenPair} TokenPair */
/** @typedef {import("./types.js").Doctor} Doctor */
/** @typedef {import("./types.js").Slot} Slot */
/** @typedef {import("./types.js").Window} Window */
/** @typedef {import("./types.js").Appointment} Appointment */
/** @typedef {import("./types.js").Metrics} Metrics */
/** @typedef {import("./types.js").Penalty} Penalty */
/** @typedef {import("./types.js").AuditEntry} AuditEntry */
/** @typedef {import("./types.js").AdminUser} AdminUser */
/** @typedef {import("./types.js").SweepResult} SweepResult */
/** @typedef {import("./types.js").Schedule} Schedule */
/** @typedef {import("./types.js").ScheduleResult} ScheduleResult */
/** @template T @typedef {import("./types.js").Page<T>} Page */

/**
 * `path?query`, leaving out empty filters.
 * @param {string} path
 * @param {Record<string, string | null | undefined>} query
 */
function withQuery(path, query) {
  // encodeURIComponent, not URLSearchParams: a space must go as %20, since a + is a plus.
  const text = Object.entries(query).filter(([, value]) => value)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`).join("&");
  return text ? `${path}?${text}` : path;
}

/** @param {string} id */
const enc = (id) => encodeURIComponent(id);

/** @returns {Promise<Clinic>} */
export const getClinic = () => request("GET", "/v1/clinic", undefined, { auth: false });

/**
 * @param {string} email
 * @param {string} password
 * @returns {Promise<TokenPair>}
 */
export const login = (email, password) => request("POST", "/v1/auth/login", { email, password }, { auth: false });

/** @param {string} refreshToken */
export const logout = (refreshToken) => request("POST", "/v1/auth/logout", { refreshToken }, { auth: false });

/**
 * @param {string} [specialty]
 * @param {string | null} [cursor]
 * @returns {Promise<Page<Doctor>>}
 */
export const listDoctors = (specialty, cursor) =>
  request("GET", withQuery("/v1/doctors", { limit: "200", specialty, cursor }));

/**
 * @param {string} doctorId
 * @param {string} date YYYY-MM-DD, a day in the clinic's zone
 * @returns {Promise<Page<Slot>>}
 */
export const listSlots = (doctorId, date) => request("GET", withQuery(`/v1/doctors/${enc(doctorId)}/slots`, { date }));

/**
 * @param {Record<string, string | null | undefined>} [filters] status, doctorId, patientId, date, from, to, cursor
 * @returns {Promise<Page<Appointment>>}
 */
export const listAppointments = (filters = {}) => request("GET", withQuery("/v1/appointments", { limit: "50", ...filters }));

/**
 * @param {string} id
 * @returns {Promise<Appointment>}
 */
export const getAppointment = (id) => request("GET", `/v1/appointments/${enc(id)}`);

/**
 * @param {{id: string, doctorId: string, start: string, reason?: string}} booking
 * @returns {Promise<Appointment>}
 */
export const book = (booking) => request("POST", "/v1/appointments", booking);

/**
 * @param {string} id
 * @param {string} [reason]
 * @returns {Promise<Appointment>}
 */
export const cancel = (id, reason) => request("POST", `/v1/appointments/${enc(id)}/cancel`, reason ? { reason } : {});

/**
 * @param {string} id
 * @param {{diagnosis: string, treatment: string}} notes
 * @returns {Promise<Appointment>}
 */
export const complete = (id, notes) => request("POST", `/v1/appointments/${enc(id)}/complete`, notes);

/**
 * The calling doctor's windows that end after `from`.
 * @param {string} from a date or a time
 * @param {string | null} [cursor]
 * @returns {Promise<Page<Window>>}
 */
export const listOwnWindows = (from, cursor) =>
  request("GET", withQuery("/v1/doctors/me/availability", { from, limit: "200", cursor }));

/**
 * @param {{start: string, end: string, slotMinutes: number}} window
 * @returns {Promise<Window>}
 */
export const addWindow = (window) => request("POST", "/v1/doctors/me/availability", window);

/** @param {string} id */
export const deleteWindow = (id) => request("DELETE", `/v1/doctors/me/availability/${enc(id)}`);

/**
 * CONTRACT.md §9.3.
 * @param {Schedule} schedule
 * @returns {Promise<ScheduleResult>}
 */
export const addSchedule = (schedule) => request("POST", "/v1/doctors/me/schedule", schedule);

/**
 * @param {string | null} [cursor]
 * @returns {Promise<Page<Penalty>>}
 */
export const listOwnPenalties = (cursor) => request("GET", withQuery("/v1/me/penalties", { cursor }));

/** @returns {Promise<Metrics>} */
export const getMetrics = () => request("GET", "/v1/admin/metrics");

/** @returns {Promise<SweepResult>} */
export const runNoShowSweep = () => request("POST", "/v1/admin/jobs/no-show");

/**
 * @param {{name: string, email: string, password: string, specialty: string}} doctor
 * @returns {Promise<Doctor>}
 */
export const addDoctor = (doctor) => request("POST", "/v1/admin/doctors", doctor);

/**
 * @param {string} id
 * @param {boolean} blacklisted
 * @returns {Promise<Doctor>}
 */
export const setBlacklisted = (id, blacklisted) =>
  request("POST", `/v1/admin/doctors/${enc(id)}/${blacklisted ? "blacklist" : "unblacklist"}`);

/**
 * @param {Record<string, string | null | undefined>} [filters] role, q, cursor
 * @returns {Promise<Page<AdminUser>>}
 */
export const listUsers = (filters = {}) => request("GET", withQuery("/v1/admin/users", { limit: "50", ...filters }));

/**
 * @param {string} id
 * @param {boolean} disabled
 * @returns {Promise<AdminUser>}
 */
export const setDisabled = (id, disabled) => request("POST", `/v1/admin/users/${enc(id)}/${disabled ? "disable" : "enable"}`);

/**
 * @param {Record<string, string | null | undefined>} [filters] patientId, cursor
 * @returns {Promise<Page<Penalty>>}
 */
export const listPenalties = (filters = {}) => request("GET", withQuery("/v1/admin/penalties", { limit: "50", ...filters }));

/**
 * @param {Record<string, string | null | undefined>} [filters] actorId, patientId, from, to, cursor
 * @returns {Promise<Page<AuditEntry>>}
 */
export const listAudit = (filters = {}) => request("GET", withQuery("/v1/admin/audit", { limit: "50", ...filters }));
