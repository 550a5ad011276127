// The patient's appointments, newest first (GET /v1/appointments: their own, with the doctor and
// the medical notes), paged; a booked one can be cancelled before its start
// (POST /v1/appointments/{id}/cancel), and TOO_LATE is explained when it has started.
import { cancel, listAppointments } from "../../api/endpoints.js";
import { AppointmentList } from "../../components/appointment-list/appointment-list.js";
import { h } from "../../components/dom.js";
import { button, card, field, form, input, openDialog } from "../../components/ui.js";
import { dateTimeOf } from "../../format/time.js";
import { loading, problem } from "../status.js";

/** @typedef {import("../../api/types.js").Appointment} Appointment */

/** @param {HTMLElement} main */
export async function render(main) {
  const list = new AppointmentList();
  list.setAttribute("show", "doctor");
  list.setAttribute("action", "cancel");
  list.setAttribute("empty", "You have no appointments yet. Book one from the Book page.");
  const area = h("div", { class: "stack" }, [loading("your appointments")]);
  const outcome = h("div", { "aria-live": "polite" });
  /** @type {Appointment[]} */
  let items = [];
  /** @type {string | null} */
  let cursor = null;
  const more = button("Show more", () => next());

  async function next() {
    try {
      const page = await listAppointments({ cursor });
      items = cursor ? items.concat(page.items) : page.items;
      cursor = page.nextCursor;
      list.items = items;
      more.hidden = !cursor;
      area.replaceChildren(list, more);
    } catch (error) {
      area.replaceChildren(problem(error));
    }
  }

  async function reload() {
    cursor = null;
    await next();
  }

  list.addEventListener("act", (event) => {
    const a = /** @type {CustomEvent<Appointment>} */ (event).detail;
    const reason = input("reason", { maxlength: "1000" });
    openDialog("Cancel this appointment?", (close) => [
      h("p", {}, [`${dateTimeOf(a.start)} with ${a.doctor.name}. Cancelling frees the time for someone else.`]),
      form("Cancel the appointment", [field("Reason (optional)", reason)], "Cancel appointment", async () => {
        await cancel(a.id, reason.value.trim() || undefined);
        close();
        outcome.replaceChildren(h("p", { class: "success", role: "status" }, [`Cancelled ${dateTimeOf(a.start)} with ${a.doctor.name}.`]));
        await reload();
        return null;
      }),
    ]);
  });

  main.append(h("h1", {}, ["Your appointments"]),
    card("Newest first", [h("p", { class: "hint" }, ["A booked appointment can be cancelled until it starts."]), outcome, area]));
  await next();
}
