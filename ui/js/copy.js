// @ts-check
/**
 * Copies text that is not secret (a redirect URI, a scope list, an address) to the
 * clipboard, falling back to selecting it in its field for Ctrl+C where the web view
 * does not allow scripts to write the clipboard. Secrets are copied by Rust instead.
 */

/**
 * @param {HTMLInputElement} field  the read-only field holding the text
 * @param {HTMLElement} button      says "Copied" for a moment
 * @returns {Promise<boolean>} whether the text is on the clipboard (else it is selected)
 */
export async function copyField(field, button) {
  const label = button.textContent;
  const done = (/** @type {boolean} */ copied) => {
    button.textContent = copied ? "Copied" : "Press Ctrl+C";
    window.setTimeout(() => (button.textContent = label), 1500);
    return copied;
  };
  field.select();
  try {
    if (!navigator.clipboard) throw new Error("no clipboard");
    await navigator.clipboard.writeText(field.value);
    return done(true);
  } catch {
    return done(document.execCommand("copy"));
  }
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
