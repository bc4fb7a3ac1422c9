// @ts-check
import * as api from "../api.js";
import { h, replace } from "../dom.js";

/**
 * Proving the new tokens work: the exchange (done on the previous screen) and the
 * product's test call, each shown as it runs, then the organizations found. Several
 * organizations wait for an explicit pick, since writing to the wrong company is the
 * mistake that costs most; the default one is marked, never chosen for the person.
 * @type {import("../flow.js").Screen}
 */
export const test = {
  title: "Test",
  render(root, ctx) {
    const state = ctx.state;
    const steps = h(
      "ol",
      { class: "progress-steps", id: "test-steps" },
      h("li", { class: "done", "data-step": "exchange" }, "Code exchanged for tokens"),
      h("li", { class: "running", "data-step": "test", id: "test-running" }, "Testing the connection: asking Zoho who is connected and for your organizations…"),
    );
    const result = h("div", { id: "test-result", "aria-live": "polite" });
    const nextButton = /** @type {HTMLButtonElement} */ (
      h("button", { type: "button", class: "button", id: "test-next", disabled: true, onclick: () => ctx.next() }, "Continue")
    );
    replace(
      root,
      h("h1", { id: "screen-title" }, "Checking the connection"),
      h("p", { class: "lead" }, "The assistant makes one harmless call to Zoho with the new tokens, to be sure they work before you rely on them."),
      steps,
      result,
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "button button-quiet", id: "back", onclick: () => ctx.back() }, "Back"),
        nextButton,
      ),
    );

    /** @param {api.TestView} view */
    const show = (view) => {
      state.test = view;
      const running = /** @type {HTMLElement} */ (root.querySelector("#test-running"));
      running.className = "done";
      const who = view.user ? ` as ${view.user}` : "";
      running.textContent = view.listed
        ? `Connection works${who}: ${view.organizations.length} organization${view.organizations.length === 1 ? "" : "s"} found`
        : `Connection works${who}`;
      nextButton.disabled = view.listed && view.chosen === null;
      if (!view.listed) return;
      if (view.organizations.length === 0) {
        replace(result, h("p", { class: "check-problem" }, "The connection works, but this Zoho user has no organization in this product yet. Create one in Zoho, then connect again."));
        return;
      }
      if (view.organizations.length === 1) {
        const org = view.organizations[0];
        replace(result, h("p", { class: "check-ok", id: "test-org" }, `Organization: ${org.name} (${org.id})`));
        return;
      }
      replace(
        result,
        h(
          "fieldset",
          { class: "org-pick" },
          h("legend", {}, "This Zoho user has several organizations. Which one should the other tool work with?"),
          ...view.organizations.map((org) => {
            const input = /** @type {HTMLInputElement} */ (
              h("input", { type: "radio", name: "org", id: `org-${org.id}`, value: org.id, class: "check" })
            );
            input.checked = org.id === view.chosen;
            input.addEventListener("change", () => {
              api
                .chooseOrganization(org.id)
                .then((chosen) => {
                  state.test = chosen;
                  nextButton.disabled = chosen.chosen === null;
                })
                .catch(ctx.problem);
            });
            return h(
              "label",
              { class: "check-row", for: `org-${org.id}`, "data-org": org.id },
              input,
              h(
                "span",
                {},
                h("strong", {}, org.name),
                ` (organization ${org.id}${org.currency ? `, ${org.currency}` : ""})`,
                org.is_default ? h("span", { class: "badge" }, "default in Zoho") : null,
              ),
            );
          }),
        ),
      );
    };

    api
      .testConnection(state.product)
      .then(show)
      .catch((err) => {
        const running = /** @type {HTMLElement} */ (root.querySelector("#test-running"));
        running.className = "failed";
        running.textContent = "The test call did not work";
        ctx.problem(err);
      });
  },
};
