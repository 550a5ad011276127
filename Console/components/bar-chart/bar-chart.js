// <hms-bar-chart label="No-shows per doctor" tone="no-show|brand" empty="...">: a horizontal bar
// chart drawn as SVG with DOM calls (no markup strings). Each bar has its label above it and its
// count beside it, so it reads at 360 px; the drawing is as wide as its box (redrawn when the box
// changes width), so its text keeps the type scale's size. The whole chart is one image whose
// accessible name lists every figure. In: the `rows` property, [{label, value}].
import { h } from "../dom.js";

const SVG = "http://www.w3.org/2000/svg";
const ROW = 44;
const BAR = 16;
const COUNT = 40; // room kept right of the longest bar for its count

/**
 * @param {string} tag
 * @param {Record<string, string | number>} attributes
 * @param {string} [text]
 */
function svg(tag, attributes, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

export class BarChart extends HTMLElement {
  /** @type {{label: string, value: number}[]} */
  #rows = [];
  #width = 0;
  #observer = new ResizeObserver(() => {
    if (Math.round(this.clientWidth) !== this.#width) this.draw();
  });

  connectedCallback() {
    this.#observer.observe(this);
  }

  disconnectedCallback() {
    this.#observer.disconnect();
  }

  /** @param {{label: string, value: number}[]} rows */
  set rows(rows) {
    this.#rows = rows;
    this.draw();
  }

  draw() {
    const rows = this.#rows;
    const WIDTH = (this.#width = Math.round(this.clientWidth)) || 320;
    if (rows.length === 0) {
      this.replaceChildren(h("p", { class: "empty" }, [this.getAttribute("empty") ?? "Nothing to show yet."]));
      return;
    }
    const most = Math.max(1, ...rows.map((r) => r.value));
    const label = this.getAttribute("label") ?? "Chart";
    const chart = svg("svg", {
      viewBox: `0 0 ${WIDTH} ${rows.length * ROW}`, role: "img", class: `chart chart-${this.getAttribute("tone") ?? "brand"}`,
      "aria-label": `${label}: ${rows.map((r) => `${r.label} ${r.value}`).join(", ")}`,
    });
    rows.forEach((r, i) => {
      const y = i * ROW;
      const width = Math.max(2, ((WIDTH - COUNT) * r.value) / most);
      chart.append(
        svg("text", { x: 0, y: y + 16, class: "chart-label" }, r.label.length > WIDTH / 8 ? `${r.label.slice(0, WIDTH / 8 - 1)}…` : r.label),
        svg("rect", { x: 0, y: y + 22, width, height: BAR, rx: 2, class: "chart-bar" }),
        svg("text", { x: width + 6, y: y + 35, class: "chart-value" }, String(r.value)),
      );
    });
    this.replaceChildren(chart);
  }
}

customElements.define("hms-bar-chart", BarChart);
