// @ts-check
import * as api from "../api.js";
import { h, replace } from "../dom.js";
import { bindSupportReport } from "../views/report.js";

/**
 * Where the saved connections are kept and how they are protected, a way to change
 * that protection (the system keyring, or a passphrase with the usual strength check),
 * and a report for support covering the whole app, with every secret left out.
 * @type {import("../flow.js").Screen}
 */
export const settings = {
  title: "Settings",
  render(root, ctx) {
    const vaultArea = h("section", { class: "keep", id: "settings-vault", "aria-labelledby": "settings-vault-title" });
    const protectArea = h("div", { id: "settings-protect" });
    const reportButton = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "button button-quiet", id: "settings-report" }, "Copy a report for support"));
    const reportArea = h("div", { class: "report", id: "settings-report-area", hidden: true });
    bindSupportReport(reportButton, reportArea, () => "settings", null);

    replace(
      root,
      h("h1", { id: "screen-title" }, "Settings"),
      vaultArea,
      h(
        "section",
        { class: "keep", id: "settings-support", "aria-labelledby": "settings-support-title" },
        h("h2", { class: "section-title", id: "settings-support-title" }, "Help from support"),
        h("p", {}, "The report says what the assistant knows: its version, practice mode, the saved connections' names, products and statuses. It holds no password, secret or token, and you see it before sending it."),
        h("div", { class: "actions actions-start" }, reportButton),
        reportArea,
      ),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "button button-quiet", id: "settings-done", onclick: () => ctx.go(ctx.vault?.connections.length ? "connections" : "start") }, "Done"),
      ),
    );

    /** @param {api.VaultStatus} vault */
    const show = (vault) => {
      ctx.setVault(vault);
      const title = h("h2", { class: "section-title", id: "settings-vault-title" }, "Your saved connections");
      const file = vault.vaultFile ? h("p", {}, "Kept encrypted in ", h("code", { id: "settings-vault-file", class: "token-value" }, vault.vaultFile), ".") : null;
      if (vault.state === "absent") {
        replace(vaultArea, title, h("p", { id: "settings-protection" }, "Nothing is saved yet. The first save creates an encrypted file on this computer, its key kept in your system keyring (or, without one, locked with a passphrase you choose)."));
        return;
      }
      if (vault.state === "locked") {
        replace(
          vaultArea,
          title,
          file,
          h("p", { id: "settings-protection" }, `${vault.protection ?? "Locked"}. `, h("button", { type: "button", class: "link-button", id: "settings-unlock", onclick: () => ctx.go("unlock") }, "Unlock them"), " to change how they are protected."),
        );
        return;
      }
      if (vault.state === "unavailable") {
        replace(vaultArea, title, file, h("p", { id: "settings-protection" }, vault.notice ? `${vault.notice.message} ${vault.notice.hint}` : "They cannot be opened right now."));
        return;
      }
      replace(vaultArea, title, file, h("p", { id: "settings-protection" }, `${vault.protection ?? "Encrypted"}.`), protectArea);
      renderProtect(protectArea, vault, ctx, show);
    };

    api.vaultStatus().then(show).catch(ctx.problem);
  },
};

/**
 * The ways to change protection from the current one.
 * @param {HTMLElement} area
 * @param {api.VaultStatus} vault
 * @param {import("../flow.js").Context} ctx
 * @param {(vault: api.VaultStatus) => void} onChanged
 */
function renderProtect(area, vault, ctx, onChanged) {
  const kind = vault.protectionKind ?? null;
  const result = h("p", { class: "field-note", id: "protect-result", role: "status" });
  const toKeyring = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "button button-quiet", id: "protect-keyring" }, "Use the system keyring instead"));
  toKeyring.addEventListener("click", () => {
    ctx.problem(null);
    toKeyring.disabled = true;
    toKeyring.textContent = "Asking the system keyring… (it can take a few seconds)";
    api
      .changeProtection("keyring", null, null)
      .then((status) => {
        onChanged(status);
        const said = document.getElementById("protect-result");
        if (said) said.textContent = "Done: the system keyring now keeps the key, and no passphrase is asked for.";
      })
      .catch((err) => {
        toKeyring.disabled = false;
        toKeyring.textContent = "Use the system keyring instead";
        ctx.problem(err);
      });
  });
  const form = passphraseForm(kind === "keyring" ? "Use a passphrase instead" : "Change the passphrase", (passphrase, confirmation, done) => {
    ctx.problem(null);
    api
      .changeProtection("passphrase", passphrase, confirmation)
      .then((status) => {
        onChanged(status);
        const said = document.getElementById("protect-result");
        if (said) said.textContent = "Done: the saved connections are now locked with the new passphrase. Write it down somewhere safe.";
      })
      .catch((err) => {
        done();
        ctx.problem(err);
      });
  });
  replace(
    area,
    h("h3", { class: "section-title", id: "protect-title" }, "Change how they are protected"),
    h(
      "p",
      { class: "muted" },
      kind === "keyring"
        ? "The system keyring opens them by itself when you sign in to this computer. A passphrase instead is asked for each time the assistant opens; nobody can recover it if it is lost."
        : "A passphrase is asked for each time the assistant opens. The system keyring instead opens them by itself when you sign in to this computer.",
    ),
    kind === "keyring" ? null : h("div", { class: "actions actions-start" }, toKeyring),
    form,
    result,
  );
}

/**
 * A new passphrase typed twice, with its strength, and the button that uses it.
 * @param {string} label
 * @param {(passphrase: string, confirmation: string, done: () => void) => void} submit
 *   `done` re-enables the form after a refusal
 */
function passphraseForm(label, submit) {
  /** @param {string} id */
  const input = (id) => /** @type {HTMLInputElement} */ (h("input", { type: "password", id, class: "text-input", autocomplete: "new-password", spellcheck: "false" }));
  const first = input("protect-passphrase");
  const second = input("protect-confirm");
  const strength = h("p", { class: "field-note", id: "protect-strength", "aria-live": "polite" }, "At least 8 characters. A short sentence of ordinary words is strong and easy to remember.");
  const match = h("p", { class: "field-note", id: "protect-match", "aria-live": "polite" });
  const button = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", class: "button", id: "protect-passphrase-save", disabled: true }, label));
  let asked = 0;
  const check = () => {
    const mine = ++asked;
    api
      .checkPassphrase(first.value, second.value)
      .then((r) => {
        if (mine !== asked) return;
        strength.textContent = first.value ? r.message : "At least 8 characters. A short sentence of ordinary words is strong and easy to remember.";
        strength.classList.toggle("field-bad", Boolean(first.value) && !r.acceptable);
        match.textContent = second.value ? (r.matches ? "Both are the same." : "Not the same as the first one yet.") : "";
        match.classList.toggle("field-bad", Boolean(second.value) && !r.matches);
        button.disabled = !(r.acceptable && r.matches);
      })
      .catch(() => {});
  };
  first.addEventListener("input", check);
  second.addEventListener("input", check);
  const form = h(
    "form",
    { id: "protect-form", class: "protect-form", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "protect-passphrase", class: "field-label" }, "New passphrase"), h("div", { class: "secret-field" }, first), strength),
    h("div", { class: "field" }, h("label", { for: "protect-confirm", class: "field-label" }, "Type it again"), h("div", { class: "secret-field" }, second), match),
    h("div", { class: "actions actions-start" }, button),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    const text = button.textContent ?? label;
    button.textContent = "Encrypting again…";
    submit(first.value, second.value, () => {
      button.textContent = text;
      check();
    });
    first.value = "";
    second.value = "";
  });
  return form;
}
