// Small builders the views share, so forms, tables, dialogs and paged lists look and behave
// the same everywhere: every control gets a <label>, every table a caption, every dialog a title.
import { h } from "./dom.js";
import { loading, problem } from "../views/status.js";

let counter = 0;
/** @param {string} prefix */
export const uid = (prefix) => `${prefix}-${++counter}`;

/**
 * A labelled field; the control gets an id when it has none, and the hint is its description.
 * @param {string} label
 * @param {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} control
 * @param {string} [hint]
 */
export function field(label, control, hint) {
  if (!control.id) control.id = uid("field");
  const note = hint ? h("p", { class: "hint", id: `${control.id}-hint` }, [hint]) : null;
  if (note) control.setAttribute("aria-describedby", note.id);
  return h("div", { class: "field" }, [h("label", { for: control.id }, [label]), note, control]);
}

/**
 * @param {string} name
 * @param {Record<string, string | boolean>} [attributes]
 */
export const input = (name, attributes = {}) => h("input", { name, type: "text", ...attributes });

/**
 * @param {string} name
 * @param {[string, string][]} options value and words
 * @param {string} [value]
 */
export function select(name, options, value = "") {
  const element = h("select", { name }, options.map(([v, words]) => h("option", { value: v }, [words])));
  element.value = value;
  return element;
}

/**
 * A button that runs `action` once at a time (disabled while it runs).
 * @param {string} words
 * @param {(button: HTMLButtonElement) => unknown} action
 * @param {Record<string, string | boolean>} [attributes]
 */
export function button(words, action, attributes = {}) {
  const element = h("button", { type: "button", class: "button-secondary", ...attributes }, [words]);
  element.addEventListener("click", async () => {
    if (element.disabled) return;
    element.disabled = true;
    try {
      await action(element);
    } finally {
      element.disabled = false;
    }
  });
  return element;
}

/**
 * A card section with a heading it is labelled by.
 * @param {string} title
 * @param {(Node | string | null | false)[]} children
 * @param {"h2" | "h3"} [level]
 */
export function card(title, children, level = "h2") {
  const id = uid("section");
  return h("section", { class: "card stack", "aria-labelledby": id }, [h(level, { id }, [title]), ...children]);
}

/**
 * A form whose submit (button or Enter) runs `submit` once at a time; its outcome goes to the
 * form's own live region (an error in plain words, or the success text `submit` returns).
 * @param {string} label the form's accessible name
 * @param {Node[]} fields
 * @param {string} action the submit button's words
 * @param {() => Promise<string | Node | null | void>} submit
 * @param {string} [buttonClass]
 */
export function form(label, fields, action, submit, buttonClass = "button-primary") {
  const outcome = h("div", { class: "outcome", "aria-live": "polite" });
  const go = h("button", { type: "submit", class: buttonClass }, [action]);
  const element = h("form", { class: "stack", "aria-label": label, novalidate: true }, [...fields, h("div", {}, [go]), outcome]);
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (go.disabled) return;
    go.disabled = true;
    outcome.replaceChildren(h("p", { role: "status" }, ["Working…"]));
    try {
      const done = await submit();
      outcome.replaceChildren(done ? h(typeof done === "string" ? "p" : "div", { class: "success", role: "status" }, [done]) : "");
    } catch (error) {
      outcome.replaceChildren(problem(error));
    } finally {
      go.disabled = false;
    }
  });
  return element;
}

/**
 * A modal dialog (focus moves in, Escape closes, focus returns). `drawer` makes it slide in from
 * the side.
 * @param {string} title
 * @param {(close: () => void) => Node[]} content
 * @param {boolean} [drawer]
 */
export function openDialog(title, content, drawer = false) {
  const id = uid("dialog");
  const back = document.activeElement;
  const dialog = h("dialog", { class: drawer ? "dialog drawer" : "dialog", "aria-labelledby": id });
  const close = () => dialog.close();
  dialog.append(h("div", { class: "stack" }, [
    h("div", { class: "dialog-head" }, [h("h2", { id }, [title]), button("Close", close)]),
    ...content(close),
  ]));
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (back instanceof HTMLElement) back.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

/**
 * A table with a caption, scrolling sideways on a narrow screen (a focusable region, so the
 * keyboard can scroll it too).
 * @param {string} caption
 * @param {string[]} headers
 * @param {HTMLTableRowElement[]} rows
 */
export function table(caption, headers, rows) {
  const id = uid("table");
  return h("div", { class: "table-wrap", role: "region", tabindex: "0", "aria-labelledby": id }, [
    h("table", {}, [
      h("caption", { id }, [caption]),
      h("thead", {}, [h("tr", {}, headers.map((words) => h("th", { scope: "col" }, [words])))]),
      h("tbody", {}, rows),
    ]),
  ]);
}

/**
 * @param {(Node | string | null)[]} cells
 * @returns {HTMLTableRowElement}
 */
export const row = (cells) => h("tr", {}, cells.map((cell) => h("td", {}, [cell])));

/**
 * A paged table: loads the first page, shows the loading, empty or error state, and a
 * "Show more" button while the API gives a next cursor (CONTRACT.md §1 paging).
 * @template T
 * @param {{caption: string, headers: string[], empty: string, what: string,
 *   load: (cursor: string | null) => Promise<{items: T[], nextCursor: string | null}>,
 *   row: (item: T) => HTMLTableRowElement}} options
 */
export function pagedTable(options) {
  const area = h("div", { class: "stack" });
  /** @type {HTMLTableSectionElement | null} */
  let body = null;
  const more = button("Show more", async () => {
    await next();
  });
  /** @type {string | null} */
  let cursor = null;

  async function next() {
    try {
      const page = await options.load(cursor);
      cursor = page.nextCursor;
      const rows = page.items.map(options.row);
      if (!body) {
        if (rows.length === 0) {
          area.replaceChildren(h("p", { class: "empty" }, [options.empty]));
          return;
        }
        const wrap = table(options.caption, options.headers, rows);
        body = wrap.querySelector("tbody");
        area.replaceChildren(wrap, more);
      } else {
        body.append(...rows);
      }
      more.hidden = !cursor;
    } catch (error) {
      if (body) area.append(problem(error));
      else area.replaceChildren(problem(error));
    }
  }

  /** Starts again from the first page (after a filter changed). */
  async function reload() {
    body = null;
    cursor = null;
    area.replaceChildren(loading(options.what));
    await next();
  }

  return { element: area, reload };
}
