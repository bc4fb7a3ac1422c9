// @ts-check
/**
 * Copies text that is not secret (a redirect URI, a scope list, an address) to the
 * clipboard, falling back to selecting it in its field for Ctrl+C where the web view
 * does not allow scripts to write the clipboard. Secrets are copied by Rust instead.
 */

/**
 * @param {HTMLInputElement} field  the read-only field holding the text
 * @param {HTMLElement} button      says "Copied" for a moment
 */
export function copyField(field, button) {
  const label = button.textContent;
  const done = (/** @type {string} */ text) => {
    button.textContent = text;
    window.setTimeout(() => (button.textContent = label), 1500);
  };
  field.select();
  navigator.clipboard
    ?.writeText(field.value)
    .then(() => done("Copied"))
    .catch(() => done(document.execCommand("copy") ? "Copied" : "Press Ctrl+C"));
}

/**
 * A read-only field with a Copy button beside it.
 * @param {(tag: string, props?: any, ...children: any[]) => HTMLElement} h
 * @param {string} id
 * @param {string} value
 * @param {string} label  accessible name of the field
 */
export function copyableField(h, id, value, label) {
  const field = /** @type {HTMLInputElement} */ (h("input", { type: "text", id, class: "text-input mono", readonly: true, "aria-label": label }));
  field.value = value;
  field.addEventListener("focus", () => field.select());
  const button = h("button", { type: "button", class: "button button-quiet button-small", id: `${id}-copy`, "aria-label": `Copy ${label}` }, "Copy");
  button.addEventListener("click", () => copyField(field, button));
  return h("div", { class: "copy-field" }, field, button);
}
