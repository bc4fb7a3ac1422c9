// @ts-check
import * as api from "../api.js";
import { h, replace } from "../dom.js";

/**
 * Export to a file, once saved (the vault writes the export from what it saved).
 * @param {HTMLElement} area
 * @param {string|null} id  the saved connection, or null before it is saved
 * @param {(problem: unknown) => void} problem  shows a problem, or clears it with null
 */
export function renderExport(area, id, problem) {
  const title = h("h2", { class: "section-title", id: "export-title" }, "Hand it to another tool");
  if (id === null) {
    replace(area, title, h("p", { class: "muted", id: "export-later" }, "Save the connection first: the export is written from the saved connection to a file you choose."));
    return;
  }
  const result = h("p", { class: "field-note", id: "export-result", role: "status" });
  /** @type {[api.ExportFormat, string, string][]} */
  const formats = [
    ["dot_env", ".env file", "most integration tools read one"],
    ["json", "JSON file", "for scripts"],
    ["curl", "curl command", "to try it in a terminal"],
  ];
  const buttons = formats.map(([format, label, note]) => {
    const button = /** @type {HTMLButtonElement} */ (
      h("button", { type: "button", class: "button button-quiet export-button", id: `export-${format}`, "aria-describedby": `export-${format}-note` }, label)
    );
    button.addEventListener("click", () => {
      problem(null);
      result.textContent = "Choose where to save the file…";
      // One save dialog at a time: a second press would open a second one.
      button.disabled = true;
      api
        .exportConnection(id, format)
        .then((exported) => {
          result.textContent = exported ? exported.message : "Not exported: no file was chosen.";
        })
        .catch((err) => {
          result.textContent = "";
          problem(err);
        })
        .finally(() => (button.disabled = false));
    });
    return h("span", { class: "export-choice" }, button, h("span", { class: "muted", id: `export-${format}-note` }, note));
  });
  replace(
    area,
    title,
    h("p", {}, "Export the client, the refresh token, the API domain and the organization id to a file, for the tool that needs them."),
    h("div", { class: "export-list" }, ...buttons),
    result,
  );
}
