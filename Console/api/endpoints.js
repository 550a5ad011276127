// One function per /v1 call the console makes. Views import these, never fetch.
import { request } from "./client.js";

/** @typedef {import("./types.js").Clinic} Clinic */
/** @typedef {import("./types.js").TokenPair} TokenPair */
/** @typedef {import("./types.js").Doctor} Doctor */
/** @typedef {import("./types.js").Slot} Slot */
/** @typedef {import("./types.js").Appointment} Appointment */
/** @typedef {import("./types.js").Metrics} Metrics */
/** @template T @typedef {import("./types.js").Page<T>} Page */

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
 * @returns {Promise<Page<Doctor>>}
 */
export const listDoctors = (specialty) =>
  request("GET", `/v1/doctors?limit=200${specialty ? `&specialty=${encodeURIComponent(specialty)}` : ""}`);

/**
 * @param {string} doctorId
 * @param {string} date YYYY-MM-DD, a day in the clinic's zone
 * @returns {Promise<Page<Slot>>}
 */
export const listSlots = (doctorId, date) =>
  request("GET", `/v1/doctors/${encodeURIComponent(doctorId)}/slots?date=${encodeURIComponent(date)}`);

/**
 * @param {Record<string, string>} [filters] status, date, from, to
 * @returns {Promise<Page<Appointment>>}
 */
export const listAppointments = (filters = {}) =>
  request("GET", `/v1/appointments?${new URLSearchParams({ limit: "50", ...filters })}`);

/**
 * @param {{id: string, doctorId: string, start: string, reason?: string}} booking
 * @returns {Promise<Appointment>}
 */
export const book = (booking) => request("POST", "/v1/appointments", booking);

/** @returns {Promise<Metrics>} */
export const getMetrics = () => request("GET", "/v1/admin/metrics");
