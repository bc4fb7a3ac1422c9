// @ts-check
import { h, replace } from "../dom.js";

/**
 * A question asked in place, under the button that raised it, before something that
 * costs or cannot be undone: what will happen in plain words, then the two answers.
 * Not a modal window: the rest of the screen stays readable while the person decides.
 *
 * @typedef {object} Question
 * @property {string} title
 * @property {(string|Node)[]} body         sentences saying what happens
 * @property {string} yes                   the answer that goes ahead
 * @property {string} [no]                  the answer that changes nothing
 * @property {boolean} [danger]             the answer that goes ahead is destructive
 * @property {string} [checkbox]            a tick the person must give before going ahead
 */

/**
 * Shows `question` in `area` and resolves with the answer; the area is emptied again.
 * @param {HTMLElement} area
 * @param {Question} question
 * @returns {Promise<boolean>}
 */
export function ask(area, question) {
  return new Promise((resolve) => {
    const yes = /** @type {HTMLButtonElement} */ (
      h("button", { type: "button", class: question.danger ? "button button-danger" : "button", id: "confirm-yes" }, question.yes)
    );
    const no = h("button", { type: "button", class: "button button-quiet", id: "confirm-no" }, question.no ?? "Cancel");
    /** @type {HTMLInputElement|null} */
    let tick = null;
    if (question.checkbox) {
      tick = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: "confirm-tick", class: "check" }));
      yes.disabled = true;
      tick.addEventListener("change", () => (yes.disabled = !tick?.checked));
    }
    const done = (/** @type {boolean} */ answer) => {
      replace(area);
      area.hidden = true;
      resolve(answer);
    };
    yes.addEventListener("click", () => done(true));
    no.addEventListener("click", () => done(false));
    const panel = h(
      "div",
      { class: question.danger ? "confirm confirm-danger" : "confirm", role: "alertdialog", "aria-labelledby": "confirm-title", "aria-describedby": "confirm-body" },
      h("h2", { class: "confirm-title", id: "confirm-title" }, question.title),
      h("div", { id: "confirm-body" }, ...question.body.map((part) => (typeof part === "string" ? h("p", {}, part) : part))),
      tick ? h("label", { class: "check-row", for: "confirm-tick" }, tick, h("span", {}, question.checkbox ?? "")) : null,
      h("div", { class: "actions actions-start" }, yes, no),
    );
    panel.addEventListener("keydown", (event) => {
      if (/** @type {KeyboardEvent} */ (event).key === "Escape") done(false);
    });
    replace(area, panel);
    area.hidden = false;
    (tick ?? yes).focus();
  });
}
