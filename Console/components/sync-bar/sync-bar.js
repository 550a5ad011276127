// <hms-sync-bar needs-server="...">: the laptop's sync state under `hms-sync serve` (§9.7):
// online or not, changes waiting, the last sync, "Sync now", what the clinic refused (why, and
// free times instead), and a notice when a sync changed the appointments on screen. Out: a
// "refresh" event from that notice's button.
import { listAppointments, localStatus, rejections, syncNow } from "../../api/endpoints.js";
import { messageFor } from "../../api/messages.js";
import { dateTimeOf } from "../../format/time.js";
import { h } from "../dom.js";
import { problem } from "../../views/status.js";

export class SyncBar extends HTMLElement {
  state = h("p", { role: "status" }, ["Checking the connection…"]);
  notice = h("div", { "aria-live": "polite" });
  refused = h("div");
  /** @type {string | null | undefined} */ lastSync = undefined;
  /** @type {string | null} the appointments at the last look */ shown = null;
  count = -1;
  timer = 0;

  connectedCallback() {
    const now = h("button", { type: "button", class: "button-secondary" }, ["Sync now"]);
    now.addEventListener("click", () => void (async () => {
      now.disabled = true;
      try { await syncNow(); this.notice.replaceChildren(); } catch (error) { this.notice.replaceChildren(problem(error)); }
      now.disabled = false;
      await this.poll();
    })());
    this.append(h("div", { class: "sync-row" }, [this.state, now]), this.notice, this.refused,
      h("p", { class: "notice" }, [this.getAttribute("needs-server") ?? ""]));
    void this.poll();
  }

  disconnectedCallback() { clearTimeout(this.timer); }

  async print() {
    const page = await listAppointments({ limit: "200" });
    return page.items.map((a) => `${a.id} ${a.status} ${a.pending} ${a.updatedAt}`).join();
  }

  async poll() {
    clearTimeout(this.timer);
    try {
      const status = await localStatus();
      this.dataset.online = String(status.online);
      this.state.textContent = `${status.online ? "Online" : "Offline: changes wait on this laptop"}`
        + ` · Waiting to sync: ${status.pending} · Last sync: ${status.lastSyncAt ? dateTimeOf(status.lastSyncAt) : "never"}`;
      if (status.rejections !== this.count) await this.showRefused((this.count = status.rejections));
      // the local view before and after each sync: a change is what a sync brought
      const now = await this.print();
      if (status.lastSyncAt !== this.lastSync && this.shown !== null && now !== this.shown) {
        const show = h("button", { type: "button" }, ["Show the latest"]);
        show.addEventListener("click", () => { this.notice.replaceChildren(); this.dispatchEvent(new CustomEvent("refresh")); });
        this.notice.replaceChildren(h("p", { class: "stack" }, ["A sync changed the appointments on this page. ", show]));
      } else if (status.online) {
        this.notice.querySelector("[role=alert]")?.remove();
      }
      this.lastSync = status.lastSyncAt;
      this.shown = now;
    } catch {
      this.state.textContent = "hms-sync serve does not answer.";
    }
    this.timer = setTimeout(() => void this.poll(), 4000);
  }

  /** @param {number} count */
  async showRefused(count) {
    if (count === 0) return this.refused.replaceChildren();
    const items = await rejections();
    this.refused.replaceChildren(h("p", { class: "error-summary" }, [`Not accepted by the clinic: ${items.length}`]),
      h("ul", {}, items.map((r) => {
        const start = typeof r.args.start === "string" ? ` for ${dateTimeOf(r.args.start)}` : "";
        const free = r.alternatives.map((slot) => dateTimeOf(slot.start)).join("; ");
        return h("li", {}, [`${r.name === "book" ? "Booking" : `The ${r.name}`}${start}: ${messageFor(r.code)}`
          + (free ? ` Free instead: ${free}.` : "")]);
      })));
  }
}

customElements.define("hms-sync-bar", SyncBar);
