// <hms-appointment-list show="doctor|patient" empty="...">: appointments as a list, each with its
// day, time, status in words, and the other party. In: the `items` property.
import { dayOf, timeOf } from "../../format/time.js";
import { h } from "../dom.js";

/** @typedef {import("../../api/types.js").Appointment} Appointment */

/** @type {Record<Appointment["status"], string>} */
const STATUS = { BOOKED: "Booked", COMPLETED: "Completed", CANCELLED: "Cancelled", NO_SHOW: "No-show" };

export class AppointmentList extends HTMLElement {
  /** @param {Appointment[]} items */
  set items(items) {
    this.replaceChildren();
    if (items.length === 0) {
      this.append(h("p", { class: "empty" }, [this.getAttribute("empty") ?? "No appointments."]));
      return;
    }
    const showDoctor = this.getAttribute("show") === "doctor";
    const list = h("ul", { class: "appointments" });
    for (const item of items) {
      const who = showDoctor ? `${item.doctor.name} (${item.doctor.specialty})` : item.patient.name;
      list.append(h("li", { class: "appointment", "data-appointment": item.id }, [
        h("span", { class: "when" }, [`${dayOf(item.start)}, ${timeOf(item.start)}–${timeOf(item.end)}`]),
        h("span", { class: "who" }, [who]),
        h("span", { class: `status status-${item.status.toLowerCase().replace("_", "-")}` }, [STATUS[item.status]]),
        item.reason ? h("span", { class: "reason" }, [item.reason]) : null,
      ]));
    }
    this.append(list);
  }
}

customElements.define("hms-appointment-list", AppointmentList);
