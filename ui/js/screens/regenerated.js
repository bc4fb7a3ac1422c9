// @ts-check
import * as api from "../api.js";
import { h, replace } from "../dom.js";

/**
 * Zoho gave a new refresh token for a saved connection: it is put in place of the old
 * one, and the old one is revoked unless the person keeps it (a tool still using it
 * keeps working until it has been given the new one).
 * @type {import("../flow.js").Screen}
 */
export const regenerated = {
  title: "New token",
  render(root, ctx) {
    const state = ctx.state;
    const regen = state.regenerating;
    if (!regen) {
      ctx.go("connection");
      return;
    }
    const revokeOld = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: "regen-revoke-old", class: "check", "aria-describedby": "regen-revoke-note" }));
    revokeOld.checked = true;
    const progress = h("p", { class: "progress", id: "regen-progress", role: "status" });
    const save = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "button", id: "regen-finish" }, "Save the new token"));
    save.addEventListener("click", () => {
      ctx.problem(null);
      save.disabled = true;
      progress.textContent = revokeOld.checked ? "Saving the new token and revoking the old one…" : "Saving the new token…";
      api
        .finishRegeneration(regen.id, revokeOld.checked)
        .then(async (done) => {
          state.regenerating = null;
          state.tokens = null;
          state.selected = done.connection.id;
          state.flash = { text: done.message, tone: done.oldRevoked || !revokeOld.checked ? "ok" : "warn" };
          // The connection being made held the new tokens; they are saved now.
          await api.resetConnection().catch(() => {});
          ctx.go("connection");
        })
        .catch((err) => {
          progress.textContent = "";
          save.disabled = false;
          ctx.problem(err);
        });
    });
    replace(
      root,
      h("h1", { id: "screen-title" }, `New refresh token for ${regen.name}`),
      h("p", { class: "lead" }, "Zoho gave the assistant a new refresh token. Save it in place of the old one; the connection keeps its name and organization."),
      h(
        "div",
        { class: "field" },
        h("label", { class: "check-row", for: "regen-revoke-old" }, revokeOld, h("span", {}, h("strong", {}, "Revoke the old refresh token at Zoho"), " (recommended)")),
        h(
          "p",
          { class: "field-note", id: "regen-revoke-note" },
          "Nobody can use the old token again, and it stops counting towards Zoho's 20. A tool still using it stops working until you give it the new one.",
        ),
      ),
      progress,
      h("div", { class: "actions" }, save),
    );
    save.focus();
  },
};
