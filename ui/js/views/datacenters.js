// @ts-check
import { h, replace } from "../dom.js";

/**
 * The data-center question as native radio buttons styled as cards, so arrow keys,
 * Tab and screen readers work as they do for any radio group.
 * @param {Element} root
 * @param {import("../api.js").DataCenter[]} dataCenters
 * @param {import("../api.js").DataCenterId|null} selected
 * @param {(dc: import("../api.js").DataCenter) => void} onSelect
 */
export function renderDataCenterPicker(root, dataCenters, selected, onSelect) {
  const cards = dataCenters.map((dc) => {
    const input = h("input", {
      type: "radio",
      name: "dc",
      value: dc.id,
      id: `dc-${dc.id}`,
      class: "dc-radio",
      "aria-describedby": `dc-${dc.id}-server`,
      onchange: () => onSelect(dc),
    });
    if (dc.id === selected) /** @type {HTMLInputElement} */ (input).checked = true;
    return h(
      "label",
      { class: "dc-card", for: `dc-${dc.id}`, "data-dc": dc.id },
      input,
      h(
        "span",
        { class: "dc-body" },
        h("span", { class: "dc-title" }, h("span", { class: "dc-name" }, dc.name), h("span", { class: "dc-domain" }, dc.domain)),
        h("span", { class: "dc-server", id: `dc-${dc.id}-server` }, withoutScheme(dc.accountsServer)),
      ),
      h("span", { class: "dc-check", "aria-hidden": "true" }),
    );
  });
  replace(root, ...cards);
  root.setAttribute("aria-busy", "false");
  root.setAttribute("data-count", String(dataCenters.length));
}

/**
 * @param {string} url
 * @returns {string} host and path without `https://`, which is what people recognise
 *   (`accounts.zoho.eu`; in practice mode `127.0.0.1:8765/eu`)
 */
function withoutScheme(url) {
  try {
    const parsed = new URL(url);
    return parsed.host + parsed.pathname.replace(/\/$/, "");
  } catch {
    return url;
  }
}
