// The patient's own penalties (GET /v1/me/penalties): one per missed appointment.
import { listOwnPenalties } from "../../api/endpoints.js";
import { h } from "../../components/dom.js";
import { card, pagedTable, row } from "../../components/ui.js";
import { dateTimeOf } from "../../format/time.js";

/** @param {HTMLElement} main */
export async function render(main) {
  const list = pagedTable({
    caption: "Your penalties, newest first", what: "your penalties", empty: "You have no penalties. Thank you for keeping your appointments.",
    headers: ["When", "Why"],
    load: (cursor) => listOwnPenalties(cursor),
    row: (p) => row([dateTimeOf(p.createdAt), p.reason === "NO_SHOW" ? "Missed appointment (no-show)" : p.reason]),
  });
  main.append(h("h1", {}, ["Your penalties"]), card("Penalties", [h("p", { class: "hint" }, [
    "A penalty is added when a booked appointment is missed without cancelling it first."]), list.element]));
  await list.reload();
}
