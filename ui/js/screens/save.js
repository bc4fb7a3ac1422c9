// @ts-check
import * as api from "../api.js";
import { h, replace } from "../dom.js";

/**
 * The first save, on a computer whose keyring did not answer: the vault is protected by
 * a passphrase instead, typed twice, with a hint of how strong it is. The passphrase
 * goes to Rust with the save and is never kept in the flow's state.
 * @type {import("../flow.js").Screen}
 */
export const save = {
  title: "Save",
  render(root, ctx) {
    const state = ctx.state;
    /**
     * @param {string} id
     * @param {string} autocomplete
     */
    const secretInput = (id, autocomplete) =>
      /** @type {HTMLInputElement} */ (h("input", { type: "password", id, class: "text-input", autocomplete, spellcheck: "false" }));
    const first = secretInput("passphrase-new", "new-password");
    const second = secretInput("passphrase-confirm", "new-password");
    const reveal = /** @type {HTMLButtonElement} */ (
      h("button", { type: "button", class: "button button-quiet button-small", id: "passphrase-show", "aria-pressed": "false", "aria-controls": "passphrase-new passphrase-confirm" }, "Show")
    );
    reveal.addEventListener("click", () => {
      const shown = first.type === "text";
      for (const field of [first, second]) field.type = shown ? "password" : "text";
      reveal.textContent = shown ? "Show" : "Hide";
      reveal.setAttribute("aria-pressed", String(!shown));
    });
    const meter = h("span", { class: "strength-meter", id: "passphrase-meter", "data-strength": "too_short", "aria-hidden": "true" }, h("span", { class: "strength-fill" }));
    const strength = h("p", { class: "field-note", id: "passphrase-strength", "aria-live": "polite" });
    const match = h("p", { class: "field-note", id: "passphrase-match", "aria-live": "polite" });
    const progress = h("p", { class: "progress", id: "save-progress", role: "status" });
    const submit = /** @type {HTMLButtonElement} */ (
      h("button", { type: "submit", class: "button", id: "passphrase-save", disabled: true }, "Protect and save")
    );

    let asked = 0;
    const check = () => {
      const mine = ++asked;
      api
        .checkPassphrase(first.value, second.value)
        .then((result) => {
          if (mine !== asked) return;
          meter.dataset.strength = first.value ? result.strength : "too_short";
          strength.textContent = first.value ? result.message : "At least 8 characters. A short sentence of ordinary words is strong and easy to remember.";
          strength.classList.toggle("field-bad", Boolean(first.value) && !result.acceptable);
          match.textContent = second.value ? (result.matches ? "Both are the same." : "Not the same as the first one yet.") : "";
          match.classList.toggle("field-bad", Boolean(second.value) && !result.matches);
          submit.disabled = !(result.acceptable && result.matches);
        })
        .catch(ctx.problem);
    };
    first.addEventListener("input", check);
    second.addEventListener("input", check);

    const form = h(
      "form",
      { id: "passphrase-form", novalidate: true },
      h(
        "div",
        { class: "field" },
        h("label", { for: "passphrase-new", class: "field-label" }, "Passphrase"),
        h("div", { class: "secret-field" }, first, reveal),
        meter,
        strength,
      ),
      h(
        "div",
        { class: "field" },
        h("label", { for: "passphrase-confirm", class: "field-label" }, "Type it again"),
        h("div", { class: "secret-field" }, second),
        match,
      ),
      h(
        "p",
        { class: "notice notice-warn", id: "passphrase-warning" },
        "Write it down somewhere safe. Nobody can recover it, not even support: without it, the saved connections cannot be opened.",
      ),
      progress,
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "button button-quiet", id: "back", onclick: () => ctx.go("connected") }, "Back"),
        submit,
      ),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (submit.disabled) return;
      ctx.problem(null);
      submit.disabled = true;
      progress.textContent = "Encrypting and saving…";
      api
        .saveConnection(state.saveName, scopesAsked(state), first.value, second.value)
        .then(async (outcome) => {
          if (outcome.outcome !== "saved") throw { kind: "needs_passphrase", message: outcome.reason, hint: "Type the passphrase in both fields and save again." };
          first.value = "";
          second.value = "";
          state.saved = outcome.saved;
          ctx.setVault(await api.vaultStatus());
          ctx.go("connected");
        })
        .catch((err) => {
          progress.textContent = "";
          submit.disabled = false;
          ctx.problem(err);
        });
    });

    replace(
      root,
      h("h1", { id: "screen-title" }, "Choose a passphrase for your saved connections"),
      h("p", { class: "notice", id: "vault-keyring-note" }, state.keyringReason || "The system keyring could not keep the key to your saved connections."),
      h(
        "p",
        { class: "lead" },
        "The assistant keeps your connections in an encrypted file on this computer (your vault). It will lock that file with a passphrase you choose, and ask for it each time it opens. ",
        h("span", {}, "Saving as "),
        h("strong", { id: "save-as-name" }, state.saveName),
        ".",
      ),
      form,
    );
    check();
    window.setTimeout(() => first.focus(), 0);
  },
};

/**
 * The scopes asked for, as the vault records them when Zoho does not say.
 * @param {import("../flow.js").FlowState} state
 * @returns {string[]}
 */
export function scopesAsked(state) {
  return (state.tokens?.scope ?? state.scopeString)
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
