// @ts-check
/**
 * Marks the page as keyboard-driven while the user navigates with keys, so focus rings
 * show then and not after a mouse click. Some WebKit builds do not apply
 * `:focus-visible` to a radio button reached with the arrow keys, which would leave a
 * keyboard user unable to see where they are.
 */

const NAVIGATION_KEYS = new Set(["Tab", "ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", " ", "Home", "End"]);

/** @param {HTMLElement} [root] */
export function trackKeyboardNavigation(root = document.documentElement) {
  document.addEventListener(
    "keydown",
    (event) => {
      if (NAVIGATION_KEYS.has(event.key)) root.classList.add("keyboard");
    },
    true,
  );
  document.addEventListener("pointerdown", () => root.classList.remove("keyboard"), true);
}
