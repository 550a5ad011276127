// <hms-slot-list>: a day's slots as buttons, "Book 09:00" for each free one, the taken ones shown
// as taken. In: the `slots` property (an array of {start, end, free}). Out: a "pick" event whose
// detail is the chosen slot's start.
import { timeOf } from "../../format/time.js";
import { h } from "../dom.js";

/** @typedef {import("../../api/types.js").Slot} Slot */

export class SlotList extends HTMLElement {
  /** @type {Slot[]} */
  #slots = [];

  /** @param {Slot[]} value */
  set slots(value) {
    this.#slots = value;
    this.render();
  }

  get slots() {
    return this.#slots;
  }

  render() {
    this.replaceChildren();
    if (this.#slots.length === 0) {
      this.append(h("p", { class: "empty" }, ["The doctor has no slots that day. Try another day."]));
      return;
    }
    const free = this.#slots.filter((slot) => slot.free).length;
    this.append(h("p", { class: "hint" }, [free === 0 ? "Every slot that day is taken. Try another day." :
      `${free} free slot${free === 1 ? "" : "s"}.`]));
    const list = h("ul", { class: "slots" });
    for (const slot of this.#slots) {
      const time = timeOf(slot.start);
      const item = slot.free
        ? h("button", { type: "button", class: "button-slot", "data-slot": slot.start }, [`Book ${time}`])
        : h("span", { class: "slot-taken" }, [`${time} taken`]);
      if (item instanceof HTMLButtonElement) {
        item.addEventListener("click", () =>
          this.dispatchEvent(new CustomEvent("pick", { detail: slot.start, bubbles: true })));
      }
      list.append(h("li", {}, [item]));
    }
    this.append(list);
  }
}

customElements.define("hms-slot-list", SlotList);
