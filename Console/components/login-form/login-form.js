// <hms-login-form notice="...">: the sign-in form. Enter submits it. Out: a "signed-in" event
// whose detail is the token pair. Errors are shown in the form, in plain words.
import { login } from "../../api/endpoints.js";
import { ApiError } from "../../api/client.js";
import { messageFor } from "../../api/messages.js";
import { h } from "../dom.js";

export class LoginForm extends HTMLElement {
  error = h("div", { class: "error-summary", role: "alert", tabindex: "-1", hidden: true });
  email = h("input", { id: "login-email", name: "email", type: "email", autocomplete: "username", required: true });
  password = h("input", {
    id: "login-password", name: "password", type: "password", autocomplete: "current-password", required: true,
  });
  button = h("button", { type: "submit", class: "button-primary" }, ["Sign in"]);

  connectedCallback() {
    if (this.firstChild) return;
    const notice = this.getAttribute("notice");
    const form = h("form", { class: "card stack", novalidate: true, "aria-labelledby": "login-title" }, [
      h("h1", { id: "login-title" }, ["Sign in"]),
      notice ? h("p", { class: "notice", role: "status" }, [notice]) : null,
      this.error,
      h("div", { class: "field" }, [h("label", { for: "login-email" }, ["Email"]), this.email]),
      h("div", { class: "field" }, [h("label", { for: "login-password" }, ["Password"]), this.password]),
      this.button,
    ]);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.submit();
    });
    this.append(form);
    this.email.focus();
  }

  async submit() {
    const email = this.email.value.trim();
    const password = this.password.value;
    if (!email || !password) {
      this.show(email ? "Enter your password." : "Enter your email address.");
      (email ? this.password : this.email).focus();
      return;
    }
    this.button.disabled = true;
    this.setAttribute("aria-busy", "true");
    try {
      const pair = await login(email, password);
      this.dispatchEvent(new CustomEvent("signed-in", { detail: pair, bubbles: true }));
    } catch (error) {
      const problem = error instanceof ApiError ? error : new ApiError(0, "INTERNAL");
      // A malformed email is refused as VALIDATION; to a person it is the same as a wrong one.
      const code = problem.code === "VALIDATION" ? "INVALID_CREDENTIALS" : problem.code;
      this.show(messageFor(code, problem.retryAfter));
      this.password.value = "";
      this.password.focus();
    } finally {
      this.button.disabled = false;
      this.removeAttribute("aria-busy");
    }
  }

  /** @param {string} message */
  show(message) {
    this.error.textContent = message;
    this.error.hidden = false;
  }
}

customElements.define("hms-login-form", LoginForm);
