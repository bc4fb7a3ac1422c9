// @ts-check
import * as api from "../api.js";
import { h, replace } from "../dom.js";

/**
 * What was connected: product, data center, organization and the tokens (masked), with
 * the access token's expiry counting down.
 * @type {import("../flow.js").Screen}
 */
export const connected = {
  title: "Connected",
  render(root, ctx) {
    const state = ctx.state;
    const tokens = state.tokens;
    const org = state.test?.organizations.find((o) => o.id === state.test?.chosen) ?? null;
    const user = state.test?.user ?? null;
    const expiry = h("span", { id: "access-expiry", role: "timer" });
    const expiresAt = tokens ? Date.now() + tokens.accessSecondsLeft * 1000 : 0;
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
          ? "expired; a new one is fetched with the refresh token when needed"
          : `valid for ${Math.floor(left / 60)} min ${String(left % 60).padStart(2, "0")} s`;
    };
    tick();
    const timer = window.setInterval(tick, 1000);

    replace(
      root,
      h("h1", { id: "screen-title" }, org ? `Connected to ${org.name}` : "Connected"),
      h(
        "p",
        { class: "lead", id: "connected-lead" },
        user ? `Connected as ${user}. ` : "",
        "Zoho gave the assistant a refresh token, and a test call with it worked.",
      ),
      h(
        "dl",
        { class: "details-list summary-list", id: "connected-summary" },
        h("dt", {}, "Data center"),
        h("dd", { id: "connected-dc" }, dcName),
        org ? h("dt", {}, "Organization") : null,
        org ? h("dd", { id: "connected-org" }, `${org.name} (organization ${org.id})`) : null,
        user ? h("dt", {}, "Zoho user") : null,
        user ? h("dd", { id: "connected-user" }, user) : null,
        h("dt", {}, "Permissions"),
        h("dd", {}, h("code", { id: "connected-scopes" }, tokens?.scope ?? state.scopeString)),
        h("dt", {}, "Refresh token"),
        h("dd", {}, h("code", { id: "refresh-masked" }, tokens?.refreshTokenMasked ?? "none")),
        h("dt", {}, "Access token"),
        h("dd", {}, h("code", { id: "access-masked" }, tokens?.accessTokenMasked ?? ""), " ", expiry),
      ),
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
    return () => window.clearInterval(timer);
  },
};
