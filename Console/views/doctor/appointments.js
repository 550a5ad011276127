// The doctor's landing view: today's appointments and the coming week's (GET /v1/appointments,
// own only, by day in the clinic's zone), each booked one with "Complete visit": diagnosis and
// treatment (POST /v1/appointments/{id}/complete), with TOO_EARLY explained.
import { complete, listAppointments } from "../../api/endpoints.js";
import { AppointmentList } from "../../components/appointment-list/appointment-list.js";
import { h } from "../../components/dom.js";
import { card, field, form, openDialog } from "../../components/ui.js";
import { addDays, clinicDate, dateTimeOf } from "../../format/time.js";
import { loading, problem } from "../status.js";

/** @typedef {import("../../api/types.js").Appointment} Appointment */

/** @param {HTMLElement} main */
export async function render(main) {
  const today = clinicDate();
  /** @param {string} empty */
  const list = (empty) => {
    const element = new AppointmentList();
    element.setAttribute("show", "patient");
    element.setAttribute("action", "complete");
    element.setAttribute("empty", empty);
    return element;
  };
  const todayList = list("No appointments today.");
  const weekList = list("No booked appointments in the next seven days.");
  const todayArea = h("div", {}, [loading("today's appointments")]);
  const weekArea = h("div", {}, [loading("the week's appointments")]);

  main.append(h("h1", {}, ["Today and the week"]),
    card("Today", [h("p", { class: "hint" }, ["Every appointment today, earliest first. " +
      "A visit can be completed from its start time on."]), todayArea]),
    card("The next seven days", [weekArea]));

  async function load() {
    await Promise.all([
      listAppointments({ date: today, limit: "200" }).then((page) => {
        todayList.items = page.items;
        todayArea.replaceChildren(todayList);
      }, (error) => todayArea.replaceChildren(problem(error))),
      listAppointments({ from: addDays(today, 1), to: addDays(today, 8), status: "BOOKED", limit: "200" }).then((page) => {
        weekList.items = page.items;
        weekArea.replaceChildren(weekList);
      }, (error) => weekArea.replaceChildren(problem(error))),
    ]);
  }

  /** @param {Appointment} a */
  function completeVisit(a) {
    const diagnosis = h("textarea", { name: "diagnosis", rows: "3", maxlength: "4000", required: true });
    const treatment = h("textarea", { name: "treatment", rows: "3", maxlength: "4000", required: true });
    openDialog(`Complete: ${a.patient.name}`, (close) => [
      h("p", {}, [`${dateTimeOf(a.start)}${a.reason ? ` · ${a.reason}` : ""}`]),
      form("Visit notes", [field("Diagnosis", diagnosis), field("Treatment", treatment)], "Save and complete", async () => {
        if (!diagnosis.value.trim() || !treatment.value.trim()) {
          (diagnosis.value.trim() ? treatment : diagnosis).focus();
          throw "Write both the diagnosis and the treatment.";
        }
        await complete(a.id, { diagnosis: diagnosis.value.trim(), treatment: treatment.value.trim() });
        close();
        await load();
        return null;
      }),
    ]);
  }

  for (const element of [todayList, weekList]) {
    element.addEventListener("act", (event) => completeVisit(/** @type {CustomEvent<Appointment>} */ (event).detail));
  }
  await load();
}
