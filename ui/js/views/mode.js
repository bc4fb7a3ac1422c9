// @ts-check
import { h, replace } from "../dom.js";

/**
 * Shows whether requests go to Zoho or to the local practice sandbox.
 * @param {Element} root
 * @param {import("../api.js").AppInfo} info
 */
export function renderMode(root, info) {
  root.classList.toggle("mode-practice", info.practiceMode);
  replace(
    root,
    h("span", { class: "mode-dot", "aria-hidden": "true" }),
    h("span", { class: "mode-label" }, "Practice mode (sandbox): ", h("strong", {}, info.practiceMode ? "on" : "off")),
    h(
      "span",
      { class: "mode-detail" },
      info.practiceMode && info.sandboxUrl
        ? `Nothing reaches Zoho: the practice server at ${info.sandboxUrl} answers.`
        : "Connections are made with Zoho’s real servers.",
    ),
  );
}

/**
 * @param {Element} root
 * @param {import("../api.js").AppInfo} info
 */
export function renderVersion(root, info) {
  root.textContent = `${info.name} ${info.version}`;
}
