// <hms-appointment-list show="doctor|patient" empty="..." action="cancel|complete">: appointments
// as a list, each with its day, time, status in words, the other party, and the reason and
// medical notes when there are any. With `action`, a booked appointment gets a button for it.
// In: the `items` property. Out: an "act" event whose detail is the appointment.
import { dayOf, timeOf } from "../../format/time.js";
import { h } from "../dom.js";

/** @typedef {import("../../api/types.js").Appointment} Appointment */
/** @typedef {import("../../api/types.js").Status} Status */

/** @type {Record<Status, string>} */
export const STATUS = { BOOKED: "Booked", COMPLETED: "Completed", CANCELLED: "Cancelled", NO_SHOW: "No-show" };

/**
 * The status in words, coloured (colour is never the only signal); marked when not yet synced.
 * @param {Status} status
 * @param {boolean} [pending]
 */
export const statusBadge = (status, pending) =>
  h("span", { class: `status status-${status.toLowerCase().replace("_", "-")}` }, [STATUS[status] ?? status,
    pending ? " · Waiting to sync" : ""]);

/** @type {Record<string, string>} */
const ACTIONS = { cancel: "Cancel", complete: "Complete visit" };

export class AppointmentList extends HTMLElement {
  /** @param {Appointment[]} items */
  set items(items) {
    this.replaceChildren();
    if (items.length === 0) {
      this.append(h("p", { class: "empty" }, [this.getAttribute("empty") ?? "No appointments."]));
      return;
    }
    const showDoctor = this.getAttribute("show") === "doctor";
    const action = this.getAttribute("action");
    const list = h("ul", { class: "appointments" });
    for (const item of items) {
      const who = showDoctor ? `${item.doctor.name} (${item.doctor.specialty})` : item.patient.name;
      const when = `${dayOf(item.start)}, ${timeOf(item.start)}–${timeOf(item.end)}`;
      /** @type {[string, string | null | undefined][]} */
      const notes = [["Reason", item.reason], ["Diagnosis", item.diagnosis], ["Treatment", item.treatment],
        ["Cancelled because", item.cancelReason]];
      const shown = notes.filter(([, text]) => text);
      let act = null;
      if (action && ACTIONS[action] && item.status === "BOOKED") {
        act = h("button", { type: "button", class: "button-secondary", "aria-label": `${ACTIONS[action]}: ${who}, ${when}` },
          [ACTIONS[action]]);
        act.addEventListener("click", () => this.dispatchEvent(new CustomEvent("act", { detail: item, bubbles: true })));
      }
      list.append(h("li", { class: "appointment", "data-appointment": item.id }, [
        h("span", { class: "when" }, [when]),
        h("span", { class: "who" }, [who]),
        statusBadge(item.status),
        item.pending ? h("span", { class: "status status-pending" }, ["Waiting to sync"]) : null,
        shown.length ? h("dl", { class: "notes" }, shown.flatMap(([term, text]) =>
          [h("dt", {}, [term]), h("dd", {}, [String(text)])])) : null,
        act,
      ]));
    }
    this.append(list);
  }
}

customElements.define("hms-appointment-list", AppointmentList);
