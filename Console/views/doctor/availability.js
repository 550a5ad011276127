// The doctor's availability editor: their windows from today on (GET /v1/doctors/me/availability),
// add one (POST, times in the clinic's zone), delete one (DELETE; HAS_BOOKINGS explained), and a
// weekly schedule that adds a window on each chosen weekday (POST /v1/doctors/me/schedule, §9.3).
import { addSchedule, addWindow, deleteWindow, listOwnWindows } from "../../api/endpoints.js";
import { messageFor } from "../../api/messages.js";
import { h } from "../../components/dom.js";
import { button, card, field, form, input, pagedTable, row, select } from "../../components/ui.js";
import { addDays, clinicDate, clinicInstant, dayOf, timeOf } from "../../format/time.js";
import { problem } from "../status.js";
import { session } from "../../state/session.js";

/** @returns {[string, string][]} */
const SLOT_CHOICES = () => ["10", "15", "20", "30", "45", "60"].map((m) => [m, `${m} minutes`]);
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/**
 * @param {string} start HH:MM
 * @param {string} end HH:MM
 * @param {string} minutes
 */
function checkTimes(start, end, minutes) {
  if (!start || !end) throw "Enter a start and an end time.";
  const length = Number(end.slice(0, 2)) * 60 + Number(end.slice(3)) - Number(start.slice(0, 2)) * 60 - Number(start.slice(3));
  if (length <= 0) throw "The end time must be after the start time.";
  if (length % Number(minutes) !== 0) throw `The window's length must be a whole number of ${minutes}-minute slots.`;
}

/** @param {HTMLElement} main */
export async function render(main) {
  const outcome = h("div", { "aria-live": "polite" });
  const list = pagedTable({
    caption: "Your windows from today, earliest first", what: "your windows",
    empty: "You have no availability from today on. Add a window above.",
    headers: ["When", "Slots", ""],
    load: (cursor) => listOwnWindows(clinicDate(), cursor),
    row: (w) => row([`${dayOf(w.start)}, ${timeOf(w.start)}–${timeOf(w.end)}`, `${w.slotMinutes} min`,
      button("Delete", async () => {
        try {
          await deleteWindow(w.id);
          outcome.replaceChildren(h("p", { class: "success", role: "status" }, [`Deleted ${dayOf(w.start)}, ${timeOf(w.start)}–${timeOf(w.end)}.`]));
          await list.reload();
        } catch (error) {
          outcome.replaceChildren(problem(error));
        }
      }, { "aria-label": `Delete ${dayOf(w.start)}, ${timeOf(w.start)}–${timeOf(w.end)}` })]),
  });

  const day = input("day", { type: "date", min: clinicDate(), value: clinicDate(1) });
  const start = input("start", { type: "time", value: "09:00", step: "300" });
  const end = input("end", { type: "time", value: "12:00", step: "300" });
  const slot = select("slotMinutes", SLOT_CHOICES(), "30");
  const add = form("Add a window", [h("div", { class: "filters" }, [
    field("Day", day), field("From", start), field("Until", end), field("Slot length", slot),
  ])], "Add window", async () => {
    checkTimes(start.value, end.value, slot.value);
    const window = await addWindow({ start: clinicInstant(day.value, start.value), end: clinicInstant(day.value, end.value),
      slotMinutes: Number(slot.value) });
    await list.reload();
    return `Added ${dayOf(window.start)}, ${timeOf(window.start)}–${timeOf(window.end)}.`;
  });

  const days = WEEKDAYS.map((name, i) => h("input", { type: "checkbox", name: "weekday", value: String(i + 1), id: `weekday-${i + 1}`,
    checked: i < 5 }));
  const weekStart = input("startTime", { type: "time", value: "09:00", step: "300" });
  const weekEnd = input("endTime", { type: "time", value: "17:00", step: "300" });
  const weekSlot = select("slotMinutes", SLOT_CHOICES(), "30");
  const from = input("from", { type: "date", min: clinicDate(), value: clinicDate(1) });
  const until = input("until", { type: "date", min: clinicDate(), value: addDays(clinicDate(1), 27) });
  const weekly = form("Add a weekly schedule", [
    h("fieldset", { class: "weekdays" }, [h("legend", {}, ["Weekdays"]),
      ...days.map((box, i) => h("div", { class: "check" }, [box, h("label", { for: box.id }, [WEEKDAYS[i]])]))]),
    h("div", { class: "filters" }, [field("From", weekStart), field("Until", weekEnd), field("Slot length", weekSlot),
      field("First day", from), field("Last day", until)]),
  ], "Add schedule", async () => {
    const weekdays = days.filter((box) => box.checked).map((box) => Number(box.value));
    if (weekdays.length === 0) throw "Choose at least one weekday.";
    checkTimes(weekStart.value, weekEnd.value, weekSlot.value);
    if (!from.value || !until.value || from.value > until.value) throw "The first day must be on or before the last day.";
    const result = await addSchedule({ weekdays, startTime: weekStart.value, endTime: weekEnd.value,
      slotMinutes: Number(weekSlot.value), from: from.value, until: until.value }).catch((error) => {
      // A server from before CONTRACT.md §9.3 has no such route.
      throw error?.code === "NOT_FOUND" || error?.code === "METHOD_NOT_ALLOWED"
        ? "This server doesn't offer weekly schedules yet. Add the windows one by one above." : error;
    });
    await list.reload();
    return h("div", { class: "stack" }, [
      `Added ${result.created.length} window${result.created.length === 1 ? "" : "s"}` +
        (result.skipped.length ? `; skipped ${result.skipped.length}:` : "."),
      result.skipped.length ? h("ul", {}, result.skipped.map((s) => h("li", {}, [`${s.date}: ${messageFor(s.code)}`]))) : null,
    ]);
  }, "button-secondary");

  main.append(h("h1", {}, ["Availability"]),
    card("Add a window", [h("p", { class: "hint" }, [`Times are the clinic's (${session.clinic().timeZone}).`]), add]),
    card("Your windows", [outcome, list.element]),
    card("Weekly schedule", [h("p", { class: "hint" }, ["One window on each chosen weekday between the two days. " +
      "Days that would overlap a window you already have are skipped and listed."]), weekly]));
  await list.reload();
}

