// @ts-check
import * as api from "../api.js";
import { h, replace } from "../dom.js";
import { lastTestText, startCountdowns, statusBadge, when } from "../views/status.js";

/** More than this many connections get a search box. */
const SEARCH_FROM = 6;

/**
 * Every saved connection with its status at a glance, for the person who looks after
 * them: which work, which will refresh by themselves, which Zoho has locked out for a
 * while and which need a new token. Opening one shows what can be done with it.
 * @type {import("../flow.js").Screen}
 */
export const connections = {
  title: "Saved connections",
  render(root, ctx) {
    const state = ctx.state;
    const list = h("ul", { class: "conn-list", id: "conn-list", "aria-labelledby": "screen-title" });
    const count = h("p", { class: "field-note", id: "conn-count", role: "status" });
    const area = h("div", { id: "conn-area" }, h("p", { class: "progress", role: "status" }, "Reading your saved connections…"));
    const flash = state.flash;
    state.flash = null;
    /** @type {() => void} */
    let stopCountdowns = () => {};
    let stopped = false;

    replace(
      root,
      h("h1", { id: "screen-title" }, "Saved connections"),
      h("p", { class: "lead" }, "Each connection keeps a refresh token for another tool. Open one to refresh, test, copy or export it, or to get a new token when Zoho stopped accepting the old one."),
      flash ? h("p", { class: flash.tone === "ok" ? "notice" : "notice notice-warn", id: "conn-flash", role: "status" }, flash.text) : null,
      area,
      h(
        "div",
        { class: "actions actions-start" },
        h("button", { type: "button", class: "button button-quiet", id: "conn-connect", onclick: () => ctx.restart() }, "Connect another account"),
        h("button", { type: "button", class: "button button-quiet", id: "conn-settings", onclick: () => ctx.go("settings") }, "Settings"),
      ),
    );

    /** @param {api.VaultStatus} vault */
    const show = (vault) => {
      if (stopped) return;
      ctx.setVault(vault);
      if (vault.state === "locked") {
        replace(
          area,
          h(
            "p",
            { class: "notice", id: "conn-locked" },
            "Your saved connections are locked. ",
            h("button", { type: "button", class: "link-button", id: "conn-unlock", onclick: () => ctx.go("unlock") }, "Unlock them"),
          ),
        );
        return;
      }
      if (vault.state !== "open" || vault.connections.length === 0) {
        replace(
          area,
          vault.notice ? h("div", { class: "notice notice-warn" }, h("p", { class: "notice-message" }, vault.notice.message), h("p", { class: "muted" }, vault.notice.hint)) : null,
          h("p", { class: "muted", id: "conn-none" }, "Nothing is saved yet. Connect an account, and save it on the last step."),
        );
        return;
      }
      const all = vault.connections;
      const search = /** @type {HTMLInputElement} */ (
        h("input", { type: "search", id: "conn-search", class: "text-input", autocomplete: "off", spellcheck: "false", "aria-describedby": "conn-count", placeholder: "Name, organization, product, user or data center" })
      );
      search.value = state.filter;
      const filter = () => {
        state.filter = search.value;
        const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
        const shown = all.filter((c) => {
          const text = [c.name, c.product, c.dataCenter, c.organization, c.zohoUser, c.practice ? "practice" : "", c.status.label].join(" ").toLowerCase();
          return words.every((w) => text.includes(w));
        });
        replace(list, ...shown.map((c) => row(c, ctx)));
        count.textContent =
          all.length < SEARCH_FROM
            ? ""
            : shown.length === all.length
              ? `${all.length} connections.`
              : shown.length === 0
                ? `None of the ${all.length} connections matches “${search.value.trim()}”.`
                : `${shown.length} of ${all.length} connections match.`;
      };
      search.addEventListener("input", filter);
      replace(
        area,
        all.length >= SEARCH_FROM
          ? h("div", { class: "field conn-search" }, h("label", { for: "conn-search", class: "field-label" }, "Find a connection"), search)
          : null,
        count,
        list,
        vault.protection ? h("p", { class: "field-note", id: "conn-protection" }, `${vault.protection}.`) : null,
      );
      filter();
      stopCountdowns();
      // A token that runs out or a lockout that ends changes what Rust says: ask again.
      stopCountdowns = startCountdowns(list, () => void api.vaultStatus().then(show).catch(ctx.problem));
    };

    api.vaultStatus().then(show).catch(ctx.problem);
    return () => {
      stopped = true;
      stopCountdowns();
    };
  },
};

/**
 * One connection as a row that opens it.
 * @param {api.ConnectionView} c
 * @param {import("../flow.js").Context} ctx
 */
function row(c, ctx) {
  const meta = [c.product, c.dataCenter, c.organization, c.zohoUser].filter(Boolean).join(" · ");
  return h(
    "li",
    { class: "conn-item", "data-id": c.id, "data-status": c.status.kind },
    h(
      "button",
      { type: "button", class: "conn-row", id: `conn-open-${c.id}`, onclick: () => ctx.openConnection(c.id) },
      h("span", { class: "conn-row-head" }, h("span", { class: "conn-name" }, c.name), c.practice ? h("span", { class: "badge badge-practice" }, "practice") : null, statusBadge(c.status)),
      h("span", { class: "conn-meta" }, meta),
      h(
        "span",
        { class: "conn-times" },
        `Created ${when(c.createdAt)} · Last refreshed ${when(c.lastRefreshedAt)} · Last tested ${lastTestText(c.lastTest)}`,
      ),
    ),
  );
}
