// @ts-check
import * as api from "../api.js";
import { copyField } from "../copy.js";
import { h, replace } from "../dom.js";

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
  const button = h("button", { type: "button", class: "button button-quiet button-small", id: "copy-report" }, "Copy a report for support");
  button.addEventListener("click", async () => {
    try {
      const text = await api.supportReport(screen(), problem);
      const field = /** @type {HTMLInputElement} */ (
        /** @type {unknown} */ (h("textarea", { id: "support-report", class: "text-input mono", rows: "8", readonly: true, "aria-label": "Report for support" }))
      );
      field.value = text;
      const note = h("p", { class: "muted" }, "");
      replace(reportArea, note, field);
      reportArea.hidden = false;
      const copied = await copyField(field, button);
      note.textContent = copied
        ? "Copied. This is the report: it holds no password, secret or token."
        : "The report is selected below: press Ctrl+C (on a Mac, Cmd+C) to copy it. It holds no password, secret or token.";
    } catch (err) {
      replace(reportArea, h("p", {}, "The report could not be made: ", String(/** @type {any} */ (err)?.message ?? err)));
      reportArea.hidden = false;
    }
  });
  replace(
    root,
    h("p", { class: "problem-message" }, problem.message),
    h("p", { class: "problem-hint" }, problem.hint),
    h("div", { class: "problem-actions" }, button),
    reportArea,
  );
  root.hidden = false;
}
