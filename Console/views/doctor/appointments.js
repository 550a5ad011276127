// The doctor's landing view: their appointments from today on (GET /v1/appointments, own only).
import { listAppointments } from "../../api/endpoints.js";
import { h } from "../../components/dom.js";
import { AppointmentList } from "../../components/appointment-list/appointment-list.js";
import { clinicDate } from "../../format/time.js";
import { loading, problem } from "../status.js";

/** @param {HTMLElement} main */
export async function render(main) {
  const body = h("div", { class: "card" }, [loading("your appointments")]);
  main.append(h("h1", {}, ["Your appointments"]), h("p", { class: "hint" }, ["From today, earliest first."]), body);
  try {
    const page = await listAppointments({ from: clinicDate(), status: "BOOKED" });
    const list = new AppointmentList();
    list.setAttribute("show", "patient");
    list.setAttribute("empty", "No booked appointments from today on.");
    list.items = page.items;
    body.replaceChildren(list);
  } catch (error) {
    body.replaceChildren(problem(error));
  }
}
