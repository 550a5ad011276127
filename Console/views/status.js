// The loading, empty and error states every view uses, so they look and read the same.
import { ApiError } from "../api/client.js";
import { messageFor } from "../api/messages.js";
import { h } from "../components/dom.js";

/**
 * A placeholder while a request is in flight.
 * @param {string} what
 */
export const loading = (what) => h("p", { class: "skeleton", role: "status", "aria-busy": "true" }, [`Loading ${what}…`]);

/**
 * A refusal or failure in plain words (a string is shown as it is: a check the view made itself).
 * 401 is not shown here: the session ends and the login comes back with its own notice.
 * @param {unknown} error
 */
export function problem(error) {
  if (typeof error === "string") return h("div", { class: "error-summary", role: "alert" }, [error]);
  const code = error instanceof ApiError ? error.code : "INTERNAL";
  const retryAfter = error instanceof ApiError ? error.retryAfter : null;
  return h("div", { class: "error-summary", role: "alert" }, [messageFor(code, retryAfter)]);
}
