// @ts-check
/** A tiny element builder: text always goes in as text, never as HTML. */

/**
 * @param {string} tag
 * @param {Record<string, string|boolean|((e: Event) => void)>} [props]
 *   attributes; `class` sets the class list, `on<event>` adds a listener
 * @param {...(Node|string|null|undefined|false)} children
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else if (value !== false) {
      el.setAttribute(key, value);
    }
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

/**
 * Replaces everything inside `parent` with `children`, skipping empty ones.
 * @param {Element} parent
 * @param {...(Node|string|null|undefined|false)} children
 */
export function replace(parent, ...children) {
  parent.replaceChildren(.../** @type {(Node|string)[]} */ (children.filter((c) => c !== null && c !== undefined && c !== false)));
}
