// The console's one store: who is signed in, their tokens, and the clinic. The session lives in
// sessionStorage (this tab only, gone when the tab closes; survives a reload) — see
// docs/console.md for why. Views subscribe to hear when the session starts or ends.

/** @typedef {import("../api/types.js").TokenPair} TokenPair */
/** @typedef {import("../api/types.js").User} User */
/** @typedef {import("../api/types.js").Clinic} Clinic */
/** @typedef {{user: User | null, reason: string | null}} SessionEvent */
/** @typedef {TokenPair & {expiresAt?: number}} Kept the pair, and when its access token expires (ms) */

const KEY = "hms.session";

/** @type {Kept | null} */
let current = read();
/** @type {Clinic} */
let clinic = { name: "Clinic", timeZone: "UTC" };
/** @type {Set<(event: SessionEvent) => void>} */
const listeners = new Set();

/** @returns {Kept | null} */
function read() {
  try {
    const text = sessionStorage.getItem(KEY);
    const value = text ? JSON.parse(text) : null;
    return value && typeof value.accessToken === "string" && value.user ? value : null;
  } catch {
    return null;
  }
}

/** @param {SessionEvent} event */
function tell(event) {
  for (const listener of listeners) listener(event);
}

export const session = {
  /** @returns {User | null} */
  user: () => current?.user ?? null,
  /** @returns {string | null} */
  accessToken: () => current?.accessToken ?? null,
  /** @returns {string | null} */
  refreshToken: () => current?.refreshToken ?? null,
  /**
   * True when the access token is within a fifth of its life (at most 30 s) of expiring.
   * @returns {boolean}
   */
  expiresSoon() {
    if (!current?.expiresAt) return false;
    const margin = Math.min(30_000, current.expiresIn * 200);
    return Date.now() >= current.expiresAt - margin;
  },
  /** @returns {Clinic} */
  clinic: () => clinic,
  /** @param {Clinic} value */
  setClinic(value) {
    clinic = value;
  },
  /**
   * Keeps a new token pair (from login or refresh); tells listeners when a user signs in.
   * @param {TokenPair} pair
   */
  start(pair) {
    const signingIn = current?.user.id !== pair.user.id;
    current = { ...pair, expiresAt: Date.now() + pair.expiresIn * 1000 };
    sessionStorage.setItem(KEY, JSON.stringify(current));
    if (signingIn) tell({ user: pair.user, reason: null });
  },
  /**
   * Under `hms-sync serve` (CONTRACT.md §9.7) a cookie is the credential: no tokens, no sign-out.
   * @param {User} user
   */
  local(user) {
    current = { accessToken: "", refreshToken: "", tokenType: "", expiresIn: 0, user };
    tell({ user, reason: null });
  },
  /**
   * Forgets the session and tells listeners why (a contract code, or null for sign out).
   * @param {string | null} reason
   */
  end(reason) {
    if (!current) return;
    current = null;
    sessionStorage.removeItem(KEY);
    tell({ user: null, reason });
  },
  /**
   * @param {(event: SessionEvent) => void} listener
   * @returns {() => void} unsubscribe
   */
  subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
