// The admin's doctors: add one (POST /v1/admin/doctors), and blacklist or unblacklist
// (POST /v1/admin/doctors/{id}/blacklist, /unblacklist) from the directory (GET /v1/doctors).
import { addDoctor, listDoctors, setBlacklisted } from "../../api/endpoints.js";
import { h } from "../../components/dom.js";
import { button, card, field, form, input, pagedTable, row } from "../../components/ui.js";
import { problem } from "../status.js";

/** @param {HTMLElement} main */
export async function render(main) {
  const name = input("name", { autocomplete: "off", required: true, maxlength: "200" });
  const email = input("email", { type: "email", autocomplete: "off", required: true });
  const password = input("password", { type: "password", autocomplete: "new-password", required: true, minlength: "8" });
  const specialty = input("specialty", { required: true, maxlength: "200" });
  const outcome = h("div", { "aria-live": "polite" });

  const list = pagedTable({
    caption: "Doctors, by name", what: "the doctors", empty: "No doctors yet. Add the first one above.",
    headers: ["Name", "Specialty", "Bookings", ""],
    load: (cursor) => listDoctors(undefined, cursor),
    row: (d) => row([d.name, d.specialty,
      h("span", { class: d.blacklisted ? "status status-no-show" : "status status-completed" },
        [d.blacklisted ? "Blacklisted" : "Open"]),
      button(d.blacklisted ? "Unblacklist" : "Blacklist", async () => {
        try {
          await setBlacklisted(d.id, !d.blacklisted);
          outcome.replaceChildren(h("p", { class: "success", role: "status" },
            [`${d.name} is ${d.blacklisted ? "taking bookings again" : "blacklisted: no new bookings, no sign-in"}.`]));
          await list.reload();
        } catch (error) {
          outcome.replaceChildren(problem(error));
        }
      }, { "aria-label": `${d.blacklisted ? "Unblacklist" : "Blacklist"} ${d.name}` })]),
  });

  const add = form("Add a doctor", [
    field("Full name", name), field("Email", email),
    field("Password", password, "At least 8 characters. Give it to the doctor in person."),
    field("Specialty", specialty, "For example: cardiology. Patients search by it."),
  ], "Add doctor", async () => {
    const doctor = await addDoctor({ name: name.value.trim(), email: email.value.trim(), password: password.value,
      specialty: specialty.value.trim() });
    for (const control of [name, email, password, specialty]) control.value = "";
    await list.reload();
    return `Added ${doctor.name} (${doctor.specialty}).`;
  });

  main.append(h("h1", {}, ["Doctors"]), card("Add a doctor", [add]), card("All doctors", [outcome, list.element]));
  await list.reload();
}
