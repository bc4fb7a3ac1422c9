// @ts-check
import { h, replace } from "../dom.js";

/**
 * What the chosen data center means: the servers the connection will use, and the way
 * to its API Console, where the app gets registered.
 * @param {HTMLElement} root
 * @param {import("../api.js").DataCenter} dc
 * @param {boolean} practice  true when the addresses are the practice server's
 * @param {(dc: import("../api.js").DataCenter) => void} onOpenConsole
 */
export function renderDataCenterDetails(root, dc, practice, onOpenConsole) {
  replace(
    root,
    h("h2", { class: "details-title" }, `${dc.name} (${dc.domain})`),
    h(
      "dl",
      { class: "details-list" },
      h("dt", {}, "Accounts server"),
      h("dd", {}, h("code", { id: "accounts-server" }, dc.accountsServer)),
      h("dt", {}, "API domain"),
      h("dd", {}, h("code", {}, dc.apiDomain)),
      h("dt", {}, "API Console"),
      h(
        "dd",
        { class: "details-console" },
        h("code", { id: "api-console" }, dc.apiConsole),
        h(
          "button",
          { type: "button", class: "button", id: "open-console", onclick: () => onOpenConsole(dc) },
          practice ? "Open practice API Console" : "Open API Console",
          h("span", { class: "button-note" }, " in your browser"),
        ),
      ),
    ),
    h(
      "p",
      { class: "details-note" },
      practice
        ? `Practice mode: these addresses belong to the practice server on this computer, which plays ${dc.name}. Nothing is sent to Zoho.`
        : `For an account in ${dc.name}, signing in, registering the app and getting tokens all happen on these addresses.`,
    ),
  );
  root.hidden = false;
}
