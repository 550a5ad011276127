// Every appointment, for the admin: a table filtered by status, doctor, day and from/to
// (GET /v1/appointments), paged by cursor, and a detail drawer (GET /v1/appointments/{id}) from
// which a booked appointment can be cancelled (POST /v1/appointments/{id}/cancel).
import { cancel, getAppointment, listAppointments, listDoctors } from "../../api/endpoints.js";
import { statusBadge } from "../../components/appointment-list/appointment-list.js";
import { h } from "../../components/dom.js";
import { button, card, field, form, input, openDialog, pagedTable, row, select } from "../../components/ui.js";
import { dateTimeOf, timeOf } from "../../format/time.js";
import { loading, problem } from "../status.js";

/** @typedef {import("../../api/types.js").Appointment} Appointment */

/**
 * @param {Appointment} a
 * @param {() => Promise<void>} changed
 */
function details(a, changed) {
  const reason = input("cancel-reason", { maxlength: "1000" });
  /** @type {[string, string | null | undefined][]} */
  const facts = [
    ["When", `${dateTimeOf(a.start)}–${timeOf(a.end)}`], ["Doctor", `${a.doctor.name} (${a.doctor.specialty})`],
    ["Patient", a.patient.name], ["Reason", a.reason], ["Diagnosis", a.diagnosis], ["Treatment", a.treatment],
    ["Cancel reason", a.cancelReason], ["Booked at", a.createdAt ? dateTimeOf(a.createdAt) : null], ["Id", a.id],
  ];
  return [
    h("p", {}, [statusBadge(a.status)]),
    h("dl", { class: "facts" }, facts.filter(([, value]) => value).flatMap(([term, value]) =>
      [h("dt", {}, [term]), h("dd", {}, [String(value)])])),
    a.status === "BOOKED" ? form("Cancel this appointment", [field("Reason for cancelling (optional)", reason)],
      "Cancel appointment", async () => {
        await cancel(a.id, reason.value.trim() || undefined);
        await changed();
        return "Cancelled.";
      }, "button-secondary") : "",
  ];
}

/** @param {HTMLElement} main */
export async function render(main) {
  const status = select("status", [["", "Any status"], ["BOOKED", "Booked"], ["COMPLETED", "Completed"],
    ["CANCELLED", "Cancelled"], ["NO_SHOW", "No-show"]]);
  const doctor = select("doctorId", [["", "Any doctor"]]);
  const date = input("date", { type: "date" });
  const from = input("from", { type: "date" });
  const to = input("to", { type: "date" });

  /** @returns {Record<string, string>} */
  const filters = () => ({ status: status.value, doctorId: doctor.value, date: date.value, from: from.value, to: to.value });

  const list = pagedTable({
    caption: "Appointments, earliest first", what: "the appointments", empty: "No appointment matches these filters.",
    headers: ["When", "Doctor", "Patient", "Status", ""],
    load: (cursor) => listAppointments({ ...filters(), cursor }),
    row: (a) => row([dateTimeOf(a.start), a.doctor.name, a.patient.name, statusBadge(a.status, a.pending),
      button("Details", () => show(a.id), { "aria-label": `Details of ${a.patient.name}, ${dateTimeOf(a.start)}` })]),
  });

  /** @param {string} id */
  function show(id) {
    const body = h("div", { class: "stack" }, [loading("the appointment")]);
    openDialog("Appointment", () => [body], true);
    getAppointment(id).then((a) => body.replaceChildren(...details(a, list.reload)),
      (error) => body.replaceChildren(problem(error)));
  }

  const filterForm = form("Filter appointments", [h("div", { class: "filters" }, [
    field("Status", status), field("Doctor", doctor), field("Day", date),
    field("From (day)", from), field("Until (day, not included)", to),
  ])], "Apply filters", async () => {
    await list.reload();
  });

  main.append(h("h1", {}, ["Appointments"]), card("Filters", [filterForm]), card("Results", [list.element]));
  listDoctors().then((page) => doctor.append(...page.items.map((d) => h("option", { value: d.id }, [d.name]))),
    () => undefined);
  await list.reload();
}
