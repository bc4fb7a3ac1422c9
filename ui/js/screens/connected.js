// @ts-check
import * as api from "../api.js";
import { h, replace } from "../dom.js";
import { renderExport } from "../views/export.js";
import { scopesAsked } from "./save.js";

/**
 * What was connected: product, data center, organization and the tokens (masked, with
 * Reveal and Copy), the access token's expiry counting down, the refresh-token budget,
 * then Save under a name and Export. Tokens reach this page only when Reveal is
 * pressed; Copy is done by Rust, which clears the clipboard again after a minute.
 * @type {import("../flow.js").Screen}
 */
export const connected = {
  title: "Connected",
  render(root, ctx) {
    const state = ctx.state;
    const tokens = state.tokens;
    const org = state.test?.organizations.find((o) => o.id === state.test?.chosen) ?? null;
    const user = state.test?.user ?? null;
    // Client credentials (the one-time server task) bring no refresh token.
    const oneTime = Boolean(tokens) && !tokens?.refreshTokenMasked;
    const expiry = h("span", { id: "access-expiry", role: "timer" });
    // From the absolute expiry: this screen is drawn again after saving, and counting
    // from the seconds left at the exchange would add the time since.
    const parsed = tokens ? Date.parse(tokens.accessExpiresAt) : NaN;
    const expiresAt = Number.isFinite(parsed) ? parsed : tokens ? Date.now() + tokens.accessSecondsLeft * 1000 : 0;
    const dcName = h("span", {}, tokens?.dc ?? "");
    api
      .listDataCenters()
      .then((all) => {
        const dc = all.find((d) => d.id === tokens?.dc);
        if (dc) dcName.textContent = `${dc.name} (${dc.domain})`;
      })
      .catch(() => {});
    const tick = () => {
      const left = Math.max(0, Math.round((expiresAt - Date.now()) / 1000));
      expiry.textContent =
        left === 0
          ? oneTime
            ? "expired; a new one is asked for with the Self Client when needed"
            : "expired; a new one is fetched with the refresh token when needed"
          : `valid for ${Math.floor(left / 60)} min ${String(left % 60).padStart(2, "0")} s`;
    };
    tick();
    const timer = window.setInterval(tick, 1000);

    const copyStatus = h("p", { class: "field-note copy-status", id: "copy-status", role: "status" });
    const budgetValue = h("dd", { id: "budget" }, "Shown once the connection is saved.");
    const saveArea = h("section", { class: "keep", id: "save-area", "aria-labelledby": "save-title" });
    const exportArea = h("section", { class: "keep", id: "export-area", "aria-labelledby": "export-title" });

    replace(
      root,
      h("h1", { id: "screen-title" }, org ? `Connected to ${org.name}` : "Connected"),
      h(
        "p",
        { class: "lead", id: "connected-lead" },
        user ? `Connected as ${user}. ` : "",
        oneTime
          ? "Zoho gave the assistant an access token for this organization (no refresh token: it asks again each hour), and a test call with it worked."
          : "Zoho gave the assistant a refresh token, and a test call with it worked.",
      ),
      h(
        "dl",
        { class: "details-list summary-list", id: "connected-summary" },
        h("dt", {}, "Data center"),
        h("dd", { id: "connected-dc" }, dcName),
        tokens?.paymentsAccountId ? h("dt", {}, "Zoho Payments account") : null,
        tokens?.paymentsAccountId ? h("dd", { id: "connected-payments-account" }, tokens.paymentsAccountId) : null,
        org ? h("dt", {}, "Organization") : null,
        org ? h("dd", { id: "connected-org" }, `${org.name} (organization ${org.id})`) : null,
        user ? h("dt", {}, "Zoho user") : null,
        user ? h("dd", { id: "connected-user" }, user) : null,
        h("dt", {}, "Permissions"),
        h("dd", {}, h("code", { id: "connected-scopes" }, tokens?.scope ?? state.scopeString)),
        oneTime ? null : h("dt", {}, "Refresh token"),
        oneTime ? null : h("dd", {}, tokenRow("refresh", tokens?.refreshTokenMasked ?? null, ctx, copyStatus)),
        h("dt", {}, "Access token"),
        h("dd", {}, tokenRow("access", tokens?.accessTokenMasked ?? null, ctx, copyStatus), h("span", { class: "token-expiry" }, expiry)),
        h("dt", {}, "Refresh tokens for this Zoho user and client"),
        oneTime ? h("dd", { id: "budget" }, "None spent: this way uses no refresh token.") : budgetValue,
      ),
      copyStatus,
      saveArea,
      exportArea,
      h(
        "div",
        { class: "actions" },
        h(
          "button",
          {
            type: "button",
            class: "button button-quiet",
            id: "connected-new",
            onclick: () => {
              api.resetConnection().catch(ctx.problem);
              ctx.restart();
            },
          },
          "Connect another account",
        ),
      ),
    );

    /** @param {api.Budget|null} budget */
    const showBudget = (budget) => {
      if (!budget) return;
      replace(
        budgetValue,
        h("strong", { id: "budget-count" }, `${budget.used} of ${budget.limit}`),
        h("span", { class: `budget-note budget-${budget.level}`, id: "budget-note" }, budget.message),
      );
    };

    /** @param {api.SavedView} saved */
    const showSaved = (saved) => {
      state.saved = saved;
      showBudget(saved.budget);
      replace(
        saveArea,
        h("h2", { class: "section-title", id: "save-title" }, "Saved"),
        h("p", { class: "check-ok", id: "saved-as" }, `Saved as ${saved.name}`),
        h("p", { class: "muted", id: "saved-where" }, `${saved.protection}, in ${saved.vaultFile}.`),
      );
      renderExport(exportArea, saved.id, ctx.problem);
    };

    if (state.saved) {
      showSaved(state.saved);
    } else {
      replace(saveArea, h("h2", { class: "section-title", id: "save-title" }, "Save this connection"), h("p", { class: "progress", role: "status" }, "Checking your saved connections…"));
      renderExport(exportArea, null, ctx.problem);
      api
        .savePreview()
        .then((preview) => {
          if (preview.saved) {
            showSaved(preview.saved);
            return;
          }
          showBudget(preview.budget);
          renderSaveForm(saveArea, preview, ctx, showSaved);
        })
        .catch(ctx.problem);
    }
    return () => window.clearInterval(timer);
  },
};

/**
 * A masked token with Reveal and Copy.
 * @param {api.TokenKind} which
 * @param {string|null} masked
 * @param {import("../flow.js").Context} ctx
 * @param {HTMLElement} status  where "Copied…" is said
 */
function tokenRow(which, masked, ctx, status) {
  const code = h("code", { id: `${which}-masked`, class: "token-value" }, masked ?? "none");
  if (masked === null) return code;
  const label = which === "refresh" ? "refresh token" : "access token";
  const reveal = /** @type {HTMLButtonElement} */ (
    h("button", { type: "button", class: "button button-quiet button-small", id: `${which}-reveal`, "aria-pressed": "false", "aria-label": `Reveal the ${label}` }, "Reveal")
  );
  reveal.addEventListener("click", () => {
    if (reveal.getAttribute("aria-pressed") === "true") {
      code.textContent = masked;
      reveal.textContent = "Reveal";
      reveal.setAttribute("aria-pressed", "false");
      reveal.setAttribute("aria-label", `Reveal the ${label}`);
      return;
    }
    api
      .revealToken(which)
      .then((value) => {
        code.textContent = value;
        reveal.textContent = "Hide";
        reveal.setAttribute("aria-pressed", "true");
        reveal.setAttribute("aria-label", `Hide the ${label}`);
      })
      .catch(ctx.problem);
  });
  const copy = h("button", { type: "button", class: "button button-quiet button-small", id: `${which}-copy`, "aria-label": `Copy the ${label}` }, "Copy");
  copy.addEventListener("click", () => {
    status.textContent = "";
    window.clearTimeout(Number(status.dataset.timer ?? 0));
    api
      .copyToken(which)
      .then((copied) => {
        status.textContent = `${which === "refresh" ? "Refresh token" : "Access token"}: ${copied.message}`;
        // Rust clears it then (unless something else was copied since): say so.
        const timer = window.setTimeout(() => {
          status.textContent = `The clipboard no longer holds the ${label}.`;
        }, copied.clearAfterSeconds * 1000 + 500);
        status.dataset.timer = String(timer);
      })
      .catch(ctx.problem);
  });
  return h("span", { class: "token-row" }, code, reveal, copy);
}

/**
 * The name to save under and, depending on the vault, what saving will do.
 * @param {HTMLElement} area
 * @param {api.SavePreview} preview
 * @param {import("../flow.js").Context} ctx
 * @param {(saved: api.SavedView) => void} onSaved
 */
function renderSaveForm(area, preview, ctx, onSaved) {
  const state = ctx.state;
  const name = /** @type {HTMLInputElement} */ (h("input", { type: "text", id: "save-name", class: "text-input", maxlength: "100", autocomplete: "off" }));
  name.value = state.saveName || preview.suggestedName;
  name.addEventListener("input", () => {
    state.saveName = name.value;
  });
  const locked = preview.vault === "locked";
  const passphrase = /** @type {HTMLInputElement} */ (
    h("input", { type: "password", id: "save-unlock-passphrase", class: "text-input", autocomplete: "current-password", spellcheck: "false" })
  );
  const progress = h("p", { class: "progress", id: "save-progress", role: "status" });
  const button = /** @type {HTMLButtonElement} */ (
    h("button", { type: "submit", class: "button", id: "save-submit", disabled: preview.vault === "unavailable" }, "Save")
  );
  const where = {
    absent: "The first save creates your vault: an encrypted file on this computer, its key kept in your system keyring.",
    open: `It is added to your vault on this computer (${preview.protection ?? "encrypted"}).`,
    locked: "Your saved connections are locked: type your passphrase to add this one to them.",
    unavailable: preview.notice ? `${preview.notice.message} ${preview.notice.hint}` : "Your saved connections cannot be opened right now.",
  }[preview.vault];

  const form = h(
    "form",
    { id: "save-form", novalidate: true },
    h(
      "div",
      { class: "field" },
      h("label", { for: "save-name", class: "field-label" }, "Name"),
      name,
      h("p", { class: "field-note" }, "Suggested from the organization; change it to anything you will recognise."),
    ),
    locked
      ? h(
          "div",
          { class: "field" },
          h("label", { for: "save-unlock-passphrase", class: "field-label" }, "Your passphrase"),
          h("div", { class: "secret-field" }, passphrase),
        )
      : null,
    h("p", { class: "muted", id: "save-where" }, where),
    progress,
    h("div", { class: "actions actions-start" }, button),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!name.value.trim()) {
      name.focus();
      return;
    }
    state.saveName = name.value.trim();
    ctx.problem(null);
    button.disabled = true;
    progress.textContent =
      preview.vault === "absent" ? "Creating your vault and saving… (the system keyring can take a few seconds to answer)" : locked ? "Unlocking and saving…" : "Saving…";
    const unlocking = locked ? api.unlockVault(passphrase.value).then((status) => ctx.setVault(status)) : Promise.resolve();
    unlocking
      .then(() => api.saveConnection(state.saveName, scopesAsked(state), null, null))
      .then(async (outcome) => {
        passphrase.value = "";
        if (outcome.outcome === "needs_passphrase") {
          state.keyringReason = outcome.reason;
          ctx.go("save");
          return;
        }
        ctx.setVault(await api.vaultStatus());
        onSaved(outcome.saved);
      })
      .catch((err) => {
        progress.textContent = "";
        button.disabled = false;
        ctx.problem(err);
      });
  });
  replace(area, h("h2", { class: "section-title", id: "save-title" }, "Save this connection"), form);
}
