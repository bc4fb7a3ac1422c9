// @ts-check
import { h, replace } from "../dom.js";
import { bindSupportReport } from "./report.js";

/**
 * Shows a problem in plain words with its next step and a way to ask for help: "Copy a
 * report for support" puts what the app knows of the attempt (never a secret: Rust
 * builds it from masked values) on the clipboard, and shows it, so the person can see
 * what they are sending. Hides the area when there is no problem.
 * @param {HTMLElement} root
 * @param {import("../api.js").Problem|null} problem
 * @param {() => string} [screen]  the screen the person is on, for the report
 */
export function renderProblem(root, problem, screen = () => "") {
  if (!problem) {
    root.hidden = true;
    delete root.dataset.kind;
    replace(root);
    return;
  }
  root.dataset.kind = problem.kind;
  const reportArea = h("div", { class: "report", hidden: true });
  const button = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "button button-quiet button-small", id: "copy-report" }, "Copy a report for support"));
  bindSupportReport(button, reportArea, screen, problem);
  replace(
    root,
    h("p", { class: "problem-message" }, problem.message),
    h("p", { class: "problem-hint" }, problem.hint),
    h("div", { class: "problem-actions" }, button),
    reportArea,
  );
  root.hidden = false;
}
