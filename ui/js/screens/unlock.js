// @ts-check
import * as api from "../api.js";
import { h, replace } from "../dom.js";

/**
 * Shown first when the saved connections are protected by a passphrase. A wrong
 * passphrase changes nothing on disk, and the person can carry on without unlocking:
 * nobody can recover a forgotten passphrase, and connecting still works without it.
 * @type {import("../flow.js").Screen}
 */
export const unlock = {
  title: "Unlock",
  render(root, ctx) {
    const field = /** @type {HTMLInputElement} */ (
      h("input", { type: "password", id: "unlock-passphrase", class: "text-input", autocomplete: "current-password", spellcheck: "false" })
    );
    const reveal = /** @type {HTMLButtonElement} */ (
      h("button", { type: "button", class: "button button-quiet button-small", id: "unlock-show", "aria-pressed": "false", "aria-controls": "unlock-passphrase" }, "Show")
    );
    reveal.addEventListener("click", () => {
      const shown = field.type === "text";
      field.type = shown ? "password" : "text";
      reveal.textContent = shown ? "Show" : "Hide";
      reveal.setAttribute("aria-pressed", String(!shown));
    });
    const progress = h("p", { class: "progress", id: "unlock-progress", role: "status" });
    const button = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", class: "button", id: "unlock-submit" }, "Unlock"));
    const notice = ctx.vault?.notice ?? null;

    const form = h(
      "form",
      { id: "unlock-form", novalidate: true },
      h(
        "div",
        { class: "field" },
        h("label", { for: "unlock-passphrase", class: "field-label" }, "Passphrase"),
        h("div", { class: "secret-field" }, field, reveal),
        h("p", { class: "field-note" }, "The one you chose when you saved your first connection."),
      ),
      progress,
      h(
        "div",
        { class: "actions" },
        h(
          "button",
          { type: "button", class: "button button-quiet", id: "unlock-skip", onclick: () => ctx.go("start") },
          "Continue without them",
        ),
        button,
      ),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!field.value) {
        field.focus();
        return;
      }
      ctx.problem(null);
      button.disabled = true;
      progress.textContent = "Unlocking…";
      api
        .unlockVault(field.value)
        .then((status) => {
          field.value = "";
          ctx.setVault(status);
          ctx.go("start");
        })
        .catch((err) => {
          progress.textContent = "";
          button.disabled = false;
          field.select();
          field.focus();
          ctx.problem(err);
        });
    });

    replace(
      root,
      h("h1", { id: "screen-title" }, "Unlock your saved connections"),
      h(
        "p",
        { class: "lead" },
        "Your saved Zoho connections are kept encrypted on this computer, locked with a passphrase. Type it to open them.",
      ),
      notice ? h("div", { class: "notice", id: "unlock-notice" }, h("p", {}, notice.message), h("p", { class: "muted" }, notice.hint)) : null,
      form,
      h(
        "p",
        { class: "details-note", id: "unlock-forgot" },
        "Forgot it? Nobody can recover it, not even support. You can still connect an account and copy or export its tokens; saving it needs the passphrase.",
      ),
    );
    // Focus the field rather than the heading: typing is the only thing to do here.
    window.setTimeout(() => field.focus(), 0);
  },
};
