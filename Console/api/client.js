// The only module that calls fetch. Every request goes to this origin's /v1 API with the
// session's bearer token. The access token is refreshed silently shortly before it expires
// (refresh tokens rotate, CONTRACT.md §2); a 401 all the same refreshes once and retries the
// request. Errors come back as ApiError.
import { session } from "../state/session.js";

/** An API refusal or a network failure, with the contract's code. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 for a network failure
   * @param {string} code the contract's code, or NETWORK
   * @param {number | null} retryAfter seconds from Retry-After, when the server sent it
   * @param {Record<string, unknown> | null} details
   */
  constructor(status, code, retryAfter = null, details = null) {
    super(code);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
    this.details = details;
  }
}

/** @type {Promise<boolean> | null} one refresh at a time, shared by concurrent requests */
let refreshing = null;

/**
 * @param {string} method
 * @param {string} path below the origin, starting with /v1/
 * @param {unknown} [body]
 * @param {{auth?: boolean, retried?: boolean}} [options]
 * @returns {Promise<any>} the decoded JSON answer, or null for 204
 */
export async function request(method, path, body, options = {}) {
  const auth = options.auth ?? true;
  /** @type {Record<string, string>} */
  const headers = { Accept: "application/json" };
  let retried = options.retried ?? false;
  // Refresh before the token runs out, so a request doesn't first have to meet a 401.
  if (auth && !retried && session.refreshToken() && session.expiresSoon()) retried = !(await refresh());
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const token = session.accessToken();
  if (auth && token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin", cache: "no-store",
    });
  } catch {
    throw new ApiError(0, "NETWORK");
  }
  if (response.status === 204) return null;
  const answer = await response.json().catch(() => null);
  if (response.ok) return answer;
  const code = typeof answer?.code === "string" ? answer.code : statusCode(response.status);
  if (auth && code === "UNAUTHENTICATED" && !retried && session.refreshToken()) {
    if (await refresh()) return request(method, path, body, { ...options, retried: true });
  }
  const retryAfter = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
  const error = new ApiError(response.status, code, Number.isFinite(retryAfter) ? retryAfter : null,
    answer?.details ?? null);
  if (auth && response.status === 401) session.end("UNAUTHENTICATED");
  // A disabled account or a blacklisted doctor can't go on: the session ends with that reason.
  if (auth && (code === "DISABLED" || code === "BLACKLISTED")) session.end(code);
  throw error;
}

/** Trades the refresh token for a new pair; false when the session can't go on. */
function refresh() {
  refreshing ??= (async () => {
    try {
      const pair = await request("POST", "/v1/auth/refresh", { refreshToken: session.refreshToken() },
        { auth: false });
      session.start(pair);
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** @param {number} status */
function statusCode(status) {
  if (status === 401) return "UNAUTHENTICATED";
  if (status === 403) return "FORBIDDEN";
  if (status === 404) return "NOT_FOUND";
  if (status === 429) return "RATE_LIMITED";
  if (status === 503) return "UNAVAILABLE";
  return "INTERNAL";
}
