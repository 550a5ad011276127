// The audit log (GET /v1/admin/audit), newest first: who did which write, who read which
// patient's records, every refused request; filtered by actor, patient and days.
import { listAudit, listUsers } from "../../api/endpoints.js";
import { h } from "../../components/dom.js";
import { card, field, form, input, pagedTable, row, select } from "../../components/ui.js";
import { dateTimeOf } from "../../format/time.js";

/** @param {HTMLElement} main */
export async function render(main) {
  /** @type {Map<string, string>} */
  const names = new Map();
  const actor = select("actorId", [["", "Anyone"]]);
  const patient = select("patientId", [["", "Any patient"]]);
  const from = input("from", { type: "date" });
  const to = input("to", { type: "date" });
  /** @param {string | null} id */
  const who = (id) => (id ? names.get(id) ?? id.slice(0, 8) : "—");
  const list = pagedTable({
    caption: "Audit entries, newest first", what: "the audit log", empty: "No entry matches these filters.",
    headers: ["When", "Who", "Action", "Patient", "Outcome", "Request"],
    load: (cursor) => listAudit({ actorId: actor.value, patientId: patient.value, from: from.value, to: to.value, cursor }),
    row: (e) => row([dateTimeOf(e.at), `${who(e.actorId)}${e.actorRole ? ` (${e.actorRole})` : ""}`,
      [e.action, e.entity].filter(Boolean).join(" · "), e.patientId ? who(e.patientId) : "—", e.outcome,
      h("code", {}, [e.requestId ?? ""])]),
  });
  const filter = form("Filter the audit log", [h("div", { class: "filters" }, [
    field("Who acted", actor), field("About patient", patient), field("From (day)", from), field("Until (day, not included)", to),
  ])], "Apply filters", async () => {
    await list.reload();
  });
  main.append(h("h1", {}, ["Audit log"]), card("Filters", [filter]), card("Entries", [list.element]));
  try {
    const users = await listUsers({ limit: "200" });
    for (const u of users.items) {
      names.set(u.id, u.name);
      actor.append(h("option", { value: u.id }, [`${u.name} (${u.role})`]));
      if (u.role === "patient") patient.append(h("option", { value: u.id }, [u.name]));
    }
  } catch {
    // Without the accounts the filters offer "anyone" only, and the table shows short ids.
  }
  await list.reload();
}
