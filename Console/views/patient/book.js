// The patient's landing view: find a doctor (by specialty), pick a day, see its free slots, book
// one; their upcoming appointments below. Everything through /v1: doctors, slots, appointments.
import { ApiError } from "../../api/client.js";
import { book, listAppointments, listDoctors, listSlots } from "../../api/endpoints.js";
import { messageFor } from "../../api/messages.js";
import { AppointmentList } from "../../components/appointment-list/appointment-list.js";
import { h } from "../../components/dom.js";
import { SlotList } from "../../components/slot-list/slot-list.js";
import { card, field } from "../../components/ui.js";
import { clinicDate, dayOf, timeOf } from "../../format/time.js";
import { loading, problem } from "../status.js";

/** @typedef {import("../../api/types.js").Doctor} Doctor */

/** A new appointment id, so a retried booking is answered once (CONTRACT.md §4). */
function newId() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** @param {HTMLElement} main */
export async function render(main) {
  const specialty = h("select", { id: "book-specialty", name: "specialty" }, [h("option", { value: "" }, ["Any specialty"])]);
  const doctor = h("select", { id: "book-doctor", name: "doctor" });
  const day = h("input", { id: "book-day", name: "day", type: "date", min: clinicDate(), value: clinicDate(1) });
  const reason = h("input", { id: "book-reason", name: "reason", type: "text", maxlength: "1000", autocomplete: "off" });
  const slots = new SlotList();
  const outcome = h("div", { class: "outcome", "aria-live": "polite" });
  const mine = new AppointmentList();
  mine.setAttribute("show", "doctor");
  mine.setAttribute("empty", "You have no upcoming appointments.");
  const slotArea = h("div", { class: "stack" }, [slots]);
  const mineArea = h("div", {}, [loading("your appointments")]);

  main.append(
    h("h1", {}, ["Book an appointment"]),
    card("Find a doctor", [field("Specialty", specialty), field("Doctor", doctor), field("Day", day)]),
    card("Free times", [field("Reason for the visit (optional)", reason), outcome, slotArea]),
    card("Your upcoming appointments", [mineArea]),
  );

  /** @type {Doctor[]} */
  let doctors = [];

  async function loadDoctors() {
    doctor.replaceChildren(h("option", { value: "" }, ["Loading doctors…"]));
    try {
      const page = await listDoctors(specialty.value || undefined);
      doctors = page.items.filter((item) => !item.blacklisted);
      if (specialty.options.length === 1) {
        // The first, unfiltered answer names every specialty there is.
        for (const name of [...new Set(doctors.map((item) => item.specialty))].sort()) {
          specialty.append(h("option", { value: name }, [name]));
        }
      }
      doctor.replaceChildren(doctors.length === 0 ? h("option", { value: "" }, ["No doctor matches"]) :
        h("option", { value: "" }, ["Choose a doctor"]));
      for (const item of doctors) doctor.append(h("option", { value: item.id }, [`${item.name} — ${item.specialty}`]));
      if (doctors.length === 1) doctor.value = doctors[0].id;
      await loadSlots();
    } catch (error) {
      doctor.replaceChildren(h("option", { value: "" }, ["Doctors couldn't be loaded"]));
      slotArea.replaceChildren(problem(error));
    }
  }

  async function loadSlots() {
    if (!doctor.value || !day.value) {
      slotArea.replaceChildren(h("p", { class: "empty" }, ["Choose a doctor and a day to see the free times."]));
      return;
    }
    slotArea.replaceChildren(loading("free times"));
    try {
      const page = await listSlots(doctor.value, day.value);
      slots.slots = page.items;
      slotArea.replaceChildren(slots);
    } catch (error) {
      slotArea.replaceChildren(problem(error));
    }
  }

  async function loadMine() {
    try {
      const page = await listAppointments({ status: "BOOKED", from: clinicDate() });
      mine.items = page.items;
      mineArea.replaceChildren(mine);
    } catch (error) {
      mineArea.replaceChildren(problem(error));
    }
  }

  specialty.addEventListener("change", () => void loadDoctors());
  doctor.addEventListener("change", () => void loadSlots());
  day.addEventListener("change", () => void loadSlots());
  /**
   * SLOT_TAKEN's free alternatives (CONTRACT.md §9.2) as buttons that book them.
   * @param {unknown} details
   */
  function alternatives(details) {
    const found = /** @type {{alternatives?: {start: string}[]} | null} */ (details)?.alternatives ?? [];
    if (!Array.isArray(found) || found.length === 0) return null;
    return h("ul", { class: "slots" }, found.map((slot) => {
      const button = h("button", { type: "button", class: "button-slot", "data-slot": slot.start },
        [`Book ${dayOf(slot.start)}, ${timeOf(slot.start)}`]);
      button.addEventListener("click", () => pick(slot.start));
      return h("li", {}, [button]);
    }));
  }

  /** @param {string} start */
  function pick(start) {
    void (async () => {
      outcome.replaceChildren(h("p", { role: "status" }, ["Booking…"]));
      try {
        const booked = await book({ id: newId(), doctorId: doctor.value, start, reason: reason.value.trim() || undefined });
        outcome.replaceChildren(h("p", { class: "success", role: "status" }, [
          `Booked: ${dayOf(booked.start)} at ${timeOf(booked.start)} with ${booked.doctor.name}.`]));
      } catch (error) {
        if (error instanceof ApiError && error.code === "SLOT_TAKEN") {
          const others = alternatives(error.details);
          outcome.replaceChildren(h("div", { class: "error-summary stack", role: "alert" }, [
            others ? "That time was just taken. These are free:" : messageFor(error.code), others]));
        } else {
          outcome.replaceChildren(problem(error));
        }
      }
      await Promise.all([loadSlots(), loadMine()]);
    })();
  }

  slots.addEventListener("pick", (event) => pick(/** @type {CustomEvent<string>} */ (event).detail));

  await Promise.all([loadDoctors(), loadMine()]);
}
