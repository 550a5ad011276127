// The admin's landing view: totals, no-shows per doctor and penalties per patient as SVG charts
// (GET /v1/admin/metrics), today's load (GET /v1/appointments?date=today), and the button that
// runs the no-show sweep now (POST /v1/admin/jobs/no-show).
import { getMetrics, listAppointments, runNoShowSweep } from "../../api/endpoints.js";
import { BarChart } from "../../components/bar-chart/bar-chart.js";
import { h } from "../../components/dom.js";
import { button, card } from "../../components/ui.js";
import { clinicDate, dayOf } from "../../format/time.js";
import { loading, problem } from "../status.js";

/**
 * @param {string} label
 * @param {{label: string, value: number}[]} rows
 * @param {string} empty
 * @param {string} [tone]
 */
function chart(label, rows, empty, tone = "brand") {
  const element = new BarChart();
  element.setAttribute("label", label);
  element.setAttribute("empty", empty);
  element.setAttribute("tone", tone);
  element.rows = rows;
  return element;
}

/**
 * @param {[string, number][]} figures words and number
 */
const totals = (figures) => h("dl", { class: "totals" }, figures.map(([words, value]) =>
  h("div", { class: "total" }, [h("dt", {}, [words]), h("dd", {}, [String(value)])])));

/** @param {HTMLElement} main */
export async function render(main) {
  const noShows = h("div", { class: "stack" }, [loading("the no-show figures")]);
  const today = h("div", { class: "stack" }, [loading("today's appointments")]);
  const sweepOutcome = h("div", { "aria-live": "polite" });
  const sweep = button("Run the no-show sweep now", async () => {
    sweepOutcome.replaceChildren(h("p", { role: "status" }, ["Running the sweep…"]));
    try {
      const result = await runNoShowSweep();
      sweepOutcome.replaceChildren(h("p", { class: "success", role: "status" }, [
        `Sweep done: ${result.markedNoShow} marked no-show, ${result.penaltiesCreated} penalties added, ` +
        `${result.emailsQueued} emails queued.`]));
      await Promise.all([loadMetrics(), loadToday()]);
    } catch (error) {
      sweepOutcome.replaceChildren(problem(error));
    }
  });

  main.append(
    h("h1", {}, ["Dashboard"]),
    h("div", { class: "grid" }, [
      card("No-shows", [noShows]),
      card(`Today, ${dayOf(new Date().toISOString())}`, [today]),
    ]),
    card("No-show sweep", [
      h("p", { class: "hint" }, ["The server marks overdue booked appointments as no-shows on its own schedule. " +
        "Run it now to do it at once; running it twice never adds a second penalty."]),
      h("div", {}, [sweep]), sweepOutcome,
    ]),
  );

  async function loadMetrics() {
    try {
      const metrics = await getMetrics();
      const penalties = metrics.penaltiesByPatient.reduce((sum, p) => sum + p.count, 0);
      noShows.replaceChildren(
        totals([["No-shows in total", metrics.totalNoShows], ["Penalties (top 100 patients)", penalties]]),
        h("h3", {}, ["No-shows per doctor"]),
        chart("No-shows per doctor", metrics.noShowsByDoctor.map((d) => ({ label: d.name, value: d.count })),
          "No doctor has a no-show yet.", "no-show"),
        h("h3", {}, ["Penalties per patient"]),
        chart("Penalties per patient", metrics.penaltiesByPatient.map((p) => ({ label: p.name, value: p.count })),
          "No patient has a penalty yet.", "no-show"),
      );
    } catch (error) {
      noShows.replaceChildren(problem(error));
    }
  }

  async function loadToday() {
    try {
      const page = await listAppointments({ date: clinicDate(), limit: "200" });
      /** @type {Map<string, number>} */
      const perDoctor = new Map();
      /** @param {string} status */
      const count = (status) => page.items.filter((a) => a.status === status).length;
      for (const a of page.items) {
        if (a.status !== "CANCELLED") perDoctor.set(a.doctor.name, (perDoctor.get(a.doctor.name) ?? 0) + 1);
      }
      today.replaceChildren(
        totals([["Appointments", page.items.length], ["Booked", count("BOOKED")], ["Completed", count("COMPLETED")],
          ["Cancelled", count("CANCELLED")], ["No-shows", count("NO_SHOW")]]),
        h("h3", {}, ["Load per doctor"]),
        chart("Today's appointments per doctor", [...perDoctor].map(([label, value]) => ({ label, value })),
          "No appointments today."),
        page.nextCursor ? h("p", { class: "hint" }, ["Counted from the first 200 appointments of the day."]) : "",
      );
    } catch (error) {
      today.replaceChildren(problem(error));
    }
  }

  await Promise.all([loadMetrics(), loadToday()]);
}
