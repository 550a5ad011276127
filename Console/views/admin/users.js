// The admin's accounts (GET /v1/admin/users, by role and name or email), each disabled or
// enabled (POST /v1/admin/users/{id}/disable, /enable).
import { listUsers, setDisabled } from "../../api/endpoints.js";
import { h } from "../../components/dom.js";
import { session } from "../../state/session.js";
import { button, card, field, form, input, pagedTable, row, select } from "../../components/ui.js";
import { problem } from "../status.js";

/** @param {HTMLElement} main */
export async function render(main) {
  const role = select("role", [["", "Every role"], ["patient", "Patients"], ["doctor", "Doctors"], ["admin", "Admins"]]);
  const q = input("q", { type: "search", maxlength: "254", autocomplete: "off" });
  const outcome = h("div", { "aria-live": "polite" });
  const me = session.user()?.id;

  const list = pagedTable({
    caption: "Accounts, by name", what: "the accounts", empty: "No account matches.",
    headers: ["Name", "Email", "Role", "State", ""],
    load: (cursor) => listUsers({ role: role.value, q: q.value.trim(), cursor }),
    row: (u) => row([u.name, u.email, u.role,
      h("span", { class: u.disabled ? "status status-no-show" : "status status-completed" }, [u.disabled ? "Disabled" : "Active"]),
      u.id === me ? h("span", { class: "hint" }, ["You"]) : button(u.disabled ? "Enable" : "Disable", async () => {
        try {
          await setDisabled(u.id, !u.disabled);
          outcome.replaceChildren(h("p", { class: "success", role: "status" },
            [`${u.name} is ${u.disabled ? "enabled again (old sessions stay ended)" : "disabled: every session ended"}.`]));
          await list.reload();
        } catch (error) {
          outcome.replaceChildren(problem(error));
        }
      }, { "aria-label": `${u.disabled ? "Enable" : "Disable"} ${u.name}` })]),
  });

  const search = form("Find accounts", [h("div", { class: "filters" }, [field("Role", role), field("Name or email", q)])],
    "Search", async () => {
      await list.reload();
    });

  main.append(h("h1", {}, ["Users"]), card("Find accounts", [search]), card("Accounts", [outcome, list.element]));
  await list.reload();
}
