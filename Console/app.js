// The console's entry: loads the clinic, then shows the login or the signed-in role's views, and
// swaps them when the session starts or ends (sign in, sign out, a 401 the refresh can't mend).
// Views are reached by the address's hash (#/book); each role has its own list (the role guard):
// a role never loads another role's views, and a link to one shows a role message instead.
import { getClinic, getMe, logout } from "./api/endpoints.js";
import { h } from "./components/dom.js";
import { LoginForm } from "./components/login-form/login-form.js";
import { session } from "./state/session.js";

/** @typedef {import("./api/types.js").Role} Role */
/** @typedef {import("./api/types.js").TokenPair} TokenPair */
/** @typedef {{render: (main: HTMLElement) => Promise<void>}} View */
/** @typedef {[path: string, title: string, load: () => Promise<View>]} Route */

/** Each role's views, the first being where it lands; loaded on first use. */
/** @type {Record<Role, Route[]>} */
const ROUTES = {
  admin: [
    ["dashboard", "Dashboard", () => import("./views/admin/dashboard.js")],
    ["appointments", "Appointments", () => import("./views/admin/appointments.js")],
    ["doctors", "Doctors", () => import("./views/admin/doctors.js")],
    ["users", "Users", () => import("./views/admin/users.js")],
    ["penalties", "Penalties", () => import("./views/admin/penalties.js")],
    ["audit", "Audit log", () => import("./views/admin/audit.js")],
  ],
  doctor: [
    ["schedule", "Today and the week", () => import("./views/doctor/appointments.js")],
    ["availability", "Availability", () => import("./views/doctor/availability.js")],
  ],
  patient: [
    ["book", "Book", () => import("./views/patient/book.js")],
    ["history", "Your appointments", () => import("./views/patient/history.js")],
    ["penalties", "Your penalties", () => import("./views/patient/penalties.js")],
  ],
};

/** Views that need the clinic's server: hidden under `hms-sync serve`, which has only the laptop's copy. */
const NEEDS_SERVER = ["dashboard", "doctors", "users", "penalties", "audit", "availability"];
/** @param {Role} role */
const routesOf = (role) => (ROUTES[role] ?? []).filter(([name]) => !(session.clinic().local && NEEDS_SERVER.includes(name)));
/** @type {import("./components/sync-bar/sync-bar.js").SyncBar | null} the sync state, on a laptop */
let bar = null;

const main = /** @type {HTMLElement} */ (document.getElementById("main"));
const account = /** @type {HTMLElement} */ (document.getElementById("account"));
const nav = /** @type {HTMLElement} */ (document.getElementById("nav"));
let rendered = 0;
let navigation = 0; // the latest showHome; an older one whose module arrives late draws nothing

/** Marks the first screen a person can use (read by the browser tests' timing). */
function interactive() {
  if (rendered++ === 0) performance.mark("hms-interactive");
}

/** @param {string | null} notice */
function showLogin(notice) {
  navigation++;
  account.replaceChildren();
  nav.replaceChildren();
  nav.hidden = true;
  const form = new LoginForm();
  if (notice) form.setAttribute("notice", notice);
  main.replaceChildren(form);
  document.title = "Sign in · HMS console";
  interactive();
}

/** The path in the address's hash: "#/doctors" → "doctors". */
const currentPath = () => location.hash.replace(/^#\/?/, "").split("?")[0];

/** @param {boolean} [moveFocus] */
async function showHome(moveFocus = false) {
  const user = session.user();
  if (!user) return showLogin(null);
  const routes = routesOf(user.role);
  if (account.childElementCount === 0) {
    const signOut = h("button", { type: "button", class: "button-secondary" }, ["Sign out"]);
    signOut.addEventListener("click", () => void signOutNow());
    account.replaceChildren(h("span", { class: "who" }, [`${user.name} · ${user.role}`]),
      session.clinic().local ? "" : signOut);
  }
  const turn = ++navigation;
  const path = currentPath();
  const route = routes.find(([name]) => name === path) ?? (path ? null : routes[0]);
  nav.hidden = routes.length === 0;
  nav.replaceChildren(h("ul", {}, routes.map(([name, title]) =>
    h("li", {}, [h("a", { href: `#/${name}`, "aria-current": route?.[0] === name ? "page" : false }, [title])]))));
  main.replaceChildren();
  if (!route) {
    // Another role's view, or no such view: the role guard answers in words, nothing is loaded.
    const isOther = Object.values(ROUTES).some((list) => list.some(([name]) => name === path));
    main.append(h("h1", {}, [isOther ? "Not for your role" : "Page not found"]),
      h("div", { class: "error-summary", role: "alert" }, [isOther
        ? `This page is for another role. Signed in as a${user.role === "admin" ? "n" : ""} ${user.role}, you can use the pages in the menu.`
        : "There is no such page. Choose one from the menu."]));
    interactive();
    return;
  }
  document.title = `${route[1]} · HMS console`;
  const view = await route[2]();
  if (turn !== navigation) return;
  const rendering = view.render(main);
  if (moveFocus) main.focus();
  interactive();
  await rendering;
}

async function signOutNow() {
  const refreshToken = session.refreshToken();
  session.end(null);
  if (refreshToken) await logout(refreshToken).catch(() => undefined);
}

/** @type {Record<string, string>} */
const NOTICES = {
  UNAUTHENTICATED: "Your session has ended. Sign in again to carry on.",
  DISABLED: "This account has been disabled. Contact the clinic's administrator.",
  BLACKLISTED: "This doctor account is suspended. Contact the clinic's administrator.",
};

session.subscribe(({ user, reason }) => {
  if (user) {
    account.replaceChildren();
    // Back to where the session ended when that page is this role's; else the role's landing view.
    const own = routesOf(user.role).some(([name]) => name === currentPath());
    if (location.hash && !own) history.replaceState(null, "", location.pathname);
    void showHome();
  } else {
    showLogin(reason ? NOTICES[reason] ?? null : "You have signed out.");
  }
});

main.addEventListener("signed-in", (event) => {
  session.start(/** @type {CustomEvent<TokenPair>} */ (event).detail);
});

window.addEventListener("hashchange", () => void showHome(true));

async function start() {
  try {
    const clinic = await getClinic();
    session.setClinic(clinic);
    const name = document.getElementById("clinic-name");
    if (name) name.textContent = clinic.name;
    // A clinic laptop's `hms-sync serve`: already signed in as the replica's user, no login.
    if (clinic.local) {
      const [{ SyncBar }, user] = await Promise.all([import("./components/sync-bar/sync-bar.js"), getMe()]);
      bar = new SyncBar();
      const hidden = (ROUTES[user.role] ?? []).filter(([name]) => NEEDS_SERVER.includes(name)).map(([, title]) => title);
      if (hidden.length) {
        bar.setAttribute("needs-server", `Not on this laptop: ${hidden.join(", ")}. They need the clinic's server; use the console there.`);
      }
      Object.assign(bar, { className: "sync-bar", role: "region", ariaLabel: "Sync with the clinic" });
      bar.addEventListener("refresh", () => void showHome(true));
      main.before(bar);
      return session.local(user);
    }
  } catch {
    // Without the clinic the console still works; dates fall back to UTC.
  }
  await showHome();
}

void start();
