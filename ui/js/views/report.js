// @ts-check
import * as api from "../api.js";
import { copyField } from "../copy.js";
import { h, replace } from "../dom.js";

/**
 * "Copy a report for support": puts what the app knows (never a secret: Rust builds it
 * from masked values) on the clipboard and shows it in `area`, so the person sees what
 * they are sending.
 * @param {HTMLButtonElement} button
 * @param {HTMLElement} area
 * @param {() => string} screen  the screen the person is on
 * @param {import("../api.js").Problem|null} problem  the problem shown, if any
 */
export function bindSupportReport(button, area, screen, problem) {
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const text = await api.supportReport(screen(), problem);
      const field = /** @type {HTMLInputElement} */ (
        /** @type {unknown} */ (h("textarea", { id: "support-report", class: "text-input mono", rows: "8", readonly: true, "aria-label": "Report for support" }))
      );
      field.value = text;
      const note = h("p", { class: "muted" }, "");
      replace(area, note, field);
      area.hidden = false;
      const copied = await copyField(field, button);
      note.textContent = copied
        ? "Copied. This is the report: it holds no password, secret or token."
        : "The report is selected below: press Ctrl+C (on a Mac, Cmd+C) to copy it. It holds no password, secret or token.";
    } catch (err) {
      replace(area, h("p", {}, "The report could not be made: ", String(/** @type {any} */ (err)?.message ?? err)));
      area.hidden = false;
    } finally {
      button.disabled = false;
    }
  });
}
