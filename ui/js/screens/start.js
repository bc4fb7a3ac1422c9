// @ts-check
import { h, replace } from "../dom.js";
import { startCountdowns, statusBadge } from "../views/status.js";

/** The start screen names this many saved connections; the rest are a click away. */
const START_LIST = 5;

/**
 * The first thing a person sees: one clear way in, and practice mode one click away for
 * anyone who wants to rehearse before touching their real Zoho account.
 * @type {import("../flow.js").Screen}
 */
export const start = {
  title: "Start",
  render(root, ctx) {
    const practiceLine = ctx.practice.on
      ? h(
          "p",
          { class: "start-practice", id: "start-practice" },
          "Practice mode is on: everything happens on a practice server on this computer, with sandbox accounts. Nothing reaches Zoho.",
        )
      : h(
          "p",
          { class: "start-practice", id: "start-practice" },
          "New to this? ",
          h(
            "button",
            { type: "button", class: "link-button", id: "start-practice-on", onclick: () => ctx.setPractice(true) },
            "Try it in practice mode",
          ),
          ": the same steps against a practice server on this computer, no Zoho account needed.",
        );
    replace(
      root,
      h("h1", { id: "screen-title" }, "Connect a Zoho account"),
      h(
        "p",
        { class: "lead" },
        "Another tool (an accounting add-on, a script, an integration) asks for a Zoho ",
        h("strong", {}, "refresh token"),
        ". The assistant gets one for you in a few steps and checks that it works before you hand it over.",
      ),
      h(
        "div",
        { class: "start-actions" },
        h(
          "button",
          { type: "button", class: "button button-large", id: "start-connect", onclick: () => ctx.next() },
          "Connect a Zoho account",
        ),
      ),
      practiceLine,
      savedConnections(ctx),
      h(
        "ol",
        { class: "start-overview", "aria-label": "What happens" },
        h("li", {}, "Say where your Zoho account lives and what the other tool may do."),
        h("li", {}, "Register the assistant in Zoho's API Console (it shows you what to click)."),
        h("li", {}, "Get a code from Zoho; the assistant trades it for tokens and tests them."),
      ),
    );
    /** @type {HTMLElement} */ (root.querySelector("#start-connect")).focus();
    return startCountdowns(root);
  },
};

/**
 * The saved connections' names once the vault is open (the full list, with what can be
 * done with each, is a screen of its own), or why they are not shown.
 * @param {import("../flow.js").Context} ctx
 * @returns {HTMLElement|null}
 */
function savedConnections(ctx) {
  const vault = ctx.vault;
  if (!vault) return null;
  const notice = vault.notice
    ? h("div", { class: "notice notice-warn", id: "start-vault-notice", "data-kind": vault.notice.kind }, h("p", { class: "notice-message" }, vault.notice.message), h("p", { class: "muted" }, vault.notice.hint))
    : null;
  if (vault.state === "locked") {
    return h(
      "section",
      { class: "saved", id: "start-saved", "aria-labelledby": "saved-title" },
      h("h2", { class: "section-title", id: "saved-title" }, "Saved connections"),
      notice,
      h(
        "p",
        { class: "muted" },
        "Your saved connections are locked. ",
        h("button", { type: "button", class: "link-button", id: "start-unlock", onclick: () => ctx.go("unlock") }, "Unlock them"),
      ),
    );
  }
  if (vault.state !== "open" || vault.connections.length === 0) {
    return notice ? h("section", { class: "saved", id: "start-saved", "aria-label": "Saved connections" }, notice) : null;
  }
  return h(
    "section",
    { class: "saved", id: "start-saved", "aria-labelledby": "saved-title" },
    h("h2", { class: "section-title", id: "saved-title" }, "Saved connections"),
    h(
      "ul",
      { class: "saved-list", id: "saved-list" },
      ...vault.connections.slice(0, START_LIST).map((c) =>
        h(
          "li",
          { class: "saved-item", "data-id": c.id },
          h("button", { type: "button", class: "link-button saved-name", id: `start-open-${c.id}`, onclick: () => ctx.openConnection(c.id) }, c.name),
          c.practice ? h("span", { class: "badge badge-practice" }, "practice") : null,
          c.status ? statusBadge(c.status) : null,
          h("span", { class: "saved-meta" }, [c.product, c.dataCenter, c.organization].filter(Boolean).join(" · ")),
        ),
      ),
    ),
    h(
      "p",
      { class: "field-note" },
      h(
        "button",
        { type: "button", class: "link-button", id: "start-all-saved", onclick: () => ctx.go("connections") },
        vault.connections.length > START_LIST ? `See all ${vault.connections.length} saved connections` : "Refresh, test, regenerate or export them",
      ),
      vault.protection ? ` · ${vault.protection}.` : "",
    ),
  );
}
