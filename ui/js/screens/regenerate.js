// @ts-check
import * as api from "../api.js";
import { h, replace } from "../dom.js";

/**
 * Before a new refresh token is minted for a saved connection: what it costs against
 * Zoho's 20 refresh tokens per user and client, and, when the next one would make Zoho
 * silently delete the oldest, which saved connection that breaks, with an explicit
 * "go ahead". Then the saved client is loaded and the ordinary grant step takes over.
 * @type {import("../flow.js").Screen}
 */
export const regenerate = {
  title: "Regenerate",
  render(root, ctx) {
    const state = ctx.state;
    const id = state.selected ?? "";
    const body = h("div", { id: "regen-body" }, h("p", { class: "progress", role: "status" }, "Counting the refresh tokens already made…"));
    replace(
      root,
      h("h1", { id: "screen-title" }, "Regenerate the refresh token"),
      body,
    );

    api
      .regenerationPreview(id)
      .then((preview) => {
        const c = preview.connection;
        const go = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "button", id: "regen-start" }, "Continue"));
        const tick = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: "regen-accept", class: "check" }));
        if (preview.breaks) {
          go.disabled = true;
          go.textContent = "Continue anyway";
          tick.addEventListener("change", () => (go.disabled = !tick.checked));
        }
        const way =
          preview.way === "server_based"
            ? "Zoho's consent page opens in your browser: sign in as the same Zoho user and click Accept."
            : preview.way === "non_browser"
            ? "The assistant shows a new code: approve it on any device, signed in as the same Zoho user."
            : "You generate a new code in the Self Client of the API Console and paste it here, as the first time.";
        go.addEventListener("click", () => {
          ctx.problem(null);
          go.disabled = true;
          go.textContent = "Loading the saved client…";
          api
            .beginRegeneration(id)
            .then((started) => {
              state.client = started.client;
              state.clientId = started.client.clientId;
              state.way = started.client.clientType;
              state.dc = started.dc;
              state.scopeString = started.scopeString;
              state.tokens = null;
              state.regenerating = { id, name: c.name, scopes: started.scopes };
              ctx.go("grant");
            })
            .catch((err) => {
              go.disabled = preview.breaks !== null && !tick.checked;
              go.textContent = preview.breaks ? "Continue anyway" : "Continue";
              ctx.problem(err);
            });
        });
        replace(
          body,
          h(
            "p",
            { class: "lead" },
            `A new refresh token for ${c.name}, with the same client, permissions and data center. `,
            way,
            " The connection keeps its name and organization; the old token can be revoked once the new one is saved.",
          ),
          c.practice ? h("p", { class: "notice", id: "regen-practice" }, "A practice connection: everything happens on the practice server on this computer.") : null,
          h(
            "dl",
            { class: "details-list summary-list" },
            h("dt", {}, "Refresh tokens for this Zoho user and client"),
            h(
              "dd",
              { id: "regen-budget" },
              h("strong", { id: "regen-budget-count" }, `${preview.budget.used} of ${preview.budget.limit}`),
              h("span", { class: `budget-note budget-${preview.budget.level}`, id: "regen-budget-note" }, preview.budget.message),
            ),
          ),
          preview.breaks
            ? h(
                "div",
                { class: "notice notice-danger", id: "regen-breaks", role: "alert" },
                h("p", { class: "notice-message" }, "Zoho keeps at most 20 refresh tokens per user and client."),
                h("p", { id: "regen-breaks-text" }, preview.breaks),
                h("label", { class: "check-row", for: "regen-accept" }, tick, h("span", {}, "I understand; make the new token anyway")),
              )
            : null,
          h(
            "div",
            { class: "actions" },
            h("button", { type: "button", class: "button button-quiet", id: "back", onclick: () => ctx.go("connection") }, "Cancel"),
            go,
          ),
        );
        (preview.breaks ? tick : go).focus();
      })
      .catch((err) => {
        replace(body, h("div", { class: "actions actions-start" }, h("button", { type: "button", class: "button button-quiet", id: "back", onclick: () => ctx.go("connection") }, "Back to the connection")));
        ctx.problem(err);
      });
  },
};
