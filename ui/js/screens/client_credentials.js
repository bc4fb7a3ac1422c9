// @ts-check
import * as api from "../api.js";
import { h, replace } from "../dom.js";

/** Where each product shows an organization's ID, for the field's note. */
const WHERE_THE_ID_IS = /** @type {Record<string, string>} */ ({
  books: "In Zoho Books: Settings, then Organization Profile (Organization ID).",
  inventory: "In Zoho Inventory: Settings, then Organization Profile (Organization ID).",
  invoice: "In Zoho Invoice: Settings, then Organization Profile (Organization ID).",
  expense: "In Zoho Expense: Admin View, Settings, then Organization Profile.",
  crm: "In Zoho CRM: Setup, then Company Details (Org ID).",
});

/**
 * The one-time server task (Zoho's client credentials): no code to paste; the person
 * names the organization, and the Self Client asks Zoho for an access token for it.
 * Zoho gives no refresh token this way, so nothing of the 20 is spent, and a saved
 * connection asks again once the hour is up.
 * @param {HTMLElement} root
 * @param {import("../flow.js").Context} ctx
 */
export function renderClientCredentials(root, ctx) {
  const state = ctx.state;
  const orgInput = /** @type {HTMLInputElement} */ (
    h("input", { type: "text", id: "cc-organization", class: "text-input mono", autocomplete: "off", spellcheck: "false", inputmode: "numeric", "aria-describedby": "cc-organization-note" })
  );
  orgInput.value = state.organizationId;
  const nextButton = /** @type {HTMLButtonElement} */ (
    h("button", { type: "button", class: "button", id: "cc-next" }, "Get the access token")
  );
  const progress = h("p", { id: "cc-progress", class: "progress", role: "status", hidden: true });
  const sync = () => {
    state.organizationId = orgInput.value;
    nextButton.disabled = !orgInput.value.trim();
  };
  orgInput.addEventListener("input", sync);
  sync();

  nextButton.addEventListener("click", async () => {
    ctx.problem(null);
    nextButton.disabled = true;
    progress.hidden = false;
    progress.textContent = "Asking Zoho for an access token for this organization…";
    try {
      const scopes = state.scopeString.split(",").map((s) => s.trim()).filter(Boolean);
      state.tokens = await api.requestClientCredentials(state.product, orgInput.value, scopes);
      ctx.next();
    } catch (err) {
      progress.hidden = true;
      nextButton.disabled = false;
      ctx.problem(err);
    }
  });

  replace(
    root,
    h("h1", { id: "screen-title" }, "Get a token for one organization"),
    h(
      "p",
      { class: "lead" },
      "For a one-time server task, the Self Client asks Zoho directly: no code to copy, and no refresh token. The token works for one hour; a saved connection asks Zoho again after that.",
    ),
    h(
      "div",
      { class: "field" },
      h("label", { for: "cc-organization", class: "field-label" }, "Which organization is it for? (its ID)"),
      orgInput,
      h(
        "p",
        { id: "cc-organization-note", class: "field-note" },
        WHERE_THE_ID_IS[state.product] ?? "The product's settings show the organization's ID.",
        " It must be an organization of the Zoho user who created the Self Client.",
      ),
    ),
    h("p", { class: "field-note", id: "cc-scopes-note" }, "Permissions asked for: ", h("code", {}, state.scopeString)),
    progress,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "button button-quiet", id: "back", onclick: () => ctx.back() }, "Back"),
      nextButton,
    ),
  );
}
