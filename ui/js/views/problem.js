// @ts-check
import { h, replace } from "../dom.js";

/**
 * Shows a problem in plain words with its next step, or hides the area.
 * @param {HTMLElement} root
 * @param {import("../api.js").Problem|null} problem
 */
export function renderProblem(root, problem) {
  if (!problem) {
    root.hidden = true;
    replace(root);
    return;
  }
  root.dataset.kind = problem.kind;
  replace(
    root,
    h("p", { class: "problem-message" }, problem.message),
    h("p", { class: "problem-hint" }, problem.hint),
  );
  root.hidden = false;
}
