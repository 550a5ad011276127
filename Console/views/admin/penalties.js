// Every penalty (GET /v1/admin/penalties), newest first, optionally for one patient; names come
// from the accounts and the doctor directory.
import { listDoctors, listPenalties, listUsers } from "../../api/endpoints.js";
import { h } from "../../components/dom.js";
import { card, field, form, pagedTable, row, select } from "../../components/ui.js";
import { dateTimeOf } from "../../format/time.js";

/** @param {HTMLElement} main */
export async function render(main) {
  /** @type {Map<string, string>} */
  const names = new Map();
  const patient = select("patientId", [["", "Every patient"]]);
  const list = pagedTable({
    caption: "Penalties, newest first", what: "the penalties", empty: "No penalties.",
    headers: ["When", "Patient", "Doctor", "Reason"],
    load: (cursor) => listPenalties({ patientId: patient.value, cursor }),
    row: (p) => row([dateTimeOf(p.createdAt), names.get(p.patientId) ?? p.patientId, names.get(p.doctorId) ?? p.doctorId,
      p.reason === "NO_SHOW" ? "No-show" : p.reason]),
  });
  const filter = form("Filter penalties", [field("Patient", patient)], "Show", async () => {
    await list.reload();
  });
  main.append(h("h1", {}, ["Penalties"]), card("Filter", [filter]), card("Penalties", [list.element]));
  try {
    const [patients, doctors] = await Promise.all([listUsers({ role: "patient", limit: "200" }), listDoctors()]);
    for (const u of patients.items) {
      names.set(u.id, u.name);
      patient.append(h("option", { value: u.id }, [u.name]));
    }
    for (const d of doctors.items) names.set(d.id, d.name);
  } catch {
    // Without names the table still shows the ids.
  }
  await list.reload();
}
