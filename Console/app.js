// The console's entry: loads the clinic, then shows the login or the signed-in role's view, and
// swaps them when the session starts or ends (sign in, sign out, a 401 the refresh can't mend).
import { getClinic, logout } from "./api/endpoints.js";
import { h } from "./components/dom.js";
import { LoginForm } from "./components/login-form/login-form.js";
import { session } from "./state/session.js";

/** @typedef {import("./api/types.js").Role} Role */
/** @typedef {import("./api/types.js").TokenPair} TokenPair */

/** Each role's landing view, loaded on first use (role guard: a role sees only its own). */
/** @type {Record<Role, () => Promise<{render: (main: HTMLElement) => Promise<void>}>>} */
const VIEWS = {
  admin: () => import("./views/admin/dashboard.js"),
  doctor: () => import("./views/doctor/appointments.js"),
  patient: () => import("./views/patient/book.js"),
};

const main = /** @type {HTMLElement} */ (document.getElementById("main"));
const account = /** @type {HTMLElement} */ (document.getElementById("account"));

/** @param {string | null} notice */
function showLogin(notice) {
  account.replaceChildren();
  const form = new LoginForm();
  if (notice) form.setAttribute("notice", notice);
  main.replaceChildren(form);
}

async function showHome() {
  const user = session.user();
  if (!user) return showLogin(null);
  const signOut = h("button", { type: "button", class: "button-secondary" }, ["Sign out"]);
  signOut.addEventListener("click", () => void signOutNow());
  account.replaceChildren(h("span", { class: "who" }, [`${user.name} · ${user.role}`]), signOut);
  main.replaceChildren();
  const load = VIEWS[user.role];
  if (!load) {
    main.append(h("div", { class: "error-summary", role: "alert" }, ["This console has no view for your role yet."]));
    return;
  }
  const view = await load();
  await view.render(main);
}

async function signOutNow() {
  const refreshToken = session.refreshToken();
  session.end(null);
  if (refreshToken) await logout(refreshToken).catch(() => undefined);
}

/** @type {Record<string, string>} */
const NOTICES = {
  UNAUTHENTICATED: "Your session has ended. Sign in again to carry on.",
};

session.subscribe(({ user, reason }) => {
  if (user) void showHome();
  else showLogin(reason ? NOTICES[reason] ?? null : "You have signed out.");
});

main.addEventListener("signed-in", (event) => {
  session.start(/** @type {CustomEvent<TokenPair>} */ (event).detail);
});

async function start() {
  try {
    const clinic = await getClinic();
    session.setClinic(clinic);
    const name = document.getElementById("clinic-name");
    if (name) name.textContent = clinic.name;
  } catch {
    // Without the clinic the console still works; dates fall back to UTC.
  }
  await showHome();
}

void start();
