// The admin's landing view: no-show totals from GET /v1/admin/metrics, per doctor and per patient.
import { getMetrics } from "../../api/endpoints.js";
import { h } from "../../components/dom.js";
import { loading, problem } from "../status.js";

/** @typedef {{name: string, count: number}} Row */

/**
 * @param {string} title
 * @param {Row[]} rows
 * @param {string} empty
 */
function figures(title, rows, empty) {
  const most = Math.max(1, ...rows.map((row) => row.count));
  return h("section", { class: "card stack" }, [
    h("h3", {}, [title]),
    rows.length === 0 ? h("p", { class: "empty" }, [empty]) : h("ul", { class: "bars" }, rows.map((row) => {
      const bar = h("meter", { min: "0", max: String(most), value: String(row.count), "aria-hidden": "true" });
      return h("li", {}, [h("span", { class: "bar-label" }, [row.name]), bar, h("span", { class: "bar-count" }, [String(row.count)])]);
    })),
  ]);
}

/** @param {HTMLElement} main */
export async function render(main) {
  const body = h("div", { class: "stack" }, [loading("the figures")]);
  main.append(h("h1", {}, ["Dashboard"]), h("section", { class: "stack", "aria-labelledby": "no-shows" }, [
    h("h2", { id: "no-shows" }, ["No-shows"]), body,
  ]));
  try {
    const metrics = await getMetrics();
    body.replaceChildren(
      h("p", { class: "total" }, [h("strong", {}, [String(metrics.totalNoShows)]),
        ` no-show${metrics.totalNoShows === 1 ? "" : "s"} in total`]),
      h("div", { class: "grid" }, [
        figures("By doctor", metrics.noShowsByDoctor, "No doctor has a no-show yet."),
        figures("Penalties by patient", metrics.penaltiesByPatient, "No patient has a penalty yet."),
      ]),
    );
  } catch (error) {
    body.replaceChildren(problem(error));
  }
}
