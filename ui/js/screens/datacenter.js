// @ts-check
import * as api from "../api.js";
import { h, replace } from "../dom.js";
import { renderDataCenterPicker } from "../views/datacenters.js";
import { renderDataCenterDetails } from "../views/details.js";

/**
 * Where the account lives. People rarely know their "data center", but they know the
 * address they sign in at, so a pasted address picks the card for them.
 * @type {import("../flow.js").Screen}
 */
export const datacenter = {
  title: "Data center",
  render(root, ctx) {
    const list = h("div", { id: "dc-list", class: "dc-list", "aria-busy": "true" });
    const details = h("section", { id: "dc-details", class: "details", "aria-live": "polite", hidden: true });
    const finder = h("input", {
      type: "text",
      id: "dc-address",
      class: "text-input",
      placeholder: "books.zoho.eu",
      autocomplete: "off",
      spellcheck: "false",
      "aria-describedby": "dc-address-result",
    });
    const finderResult = h("span", { id: "dc-address-result", class: "field-note", role: "status" });
    const nextButton = h(
      "button",
      { type: "button", class: "button", id: "dc-next", onclick: () => ctx.next() },
      "Continue",
    );

    /** @type {api.DataCenter[]} */
    let dataCenters = [];

    /** @param {api.DataCenter} dc */
    const select = (dc) => {
      ctx.problem(null);
      ctx.state.dc = dc.id;
      renderDataCenterDetails(details, dc, ctx.practice.on, (chosen) => {
        ctx.problem(null);
        api.openApiConsole(chosen.id).catch(ctx.problem);
      });
      /** @type {HTMLButtonElement} */ (nextButton).disabled = false;
      api.chooseDataCenter(dc.id).catch(ctx.problem);
    };

    const findByAddress = async () => {
      const text = /** @type {HTMLInputElement} */ (finder).value.trim();
      if (!text) {
        finderResult.textContent = "";
        return;
      }
      const id = await api.recognizeAddress(text).catch(() => null);
      const dc = dataCenters.find((d) => d.id === id);
      if (!dc) {
        finderResult.textContent = "That is not a Zoho address the assistant knows. Look at your browser's address bar while signed in to Zoho.";
        return;
      }
      finderResult.textContent = `That address is in ${dc.name}: chosen below.`;
      renderDataCenterPicker(list, dataCenters, dc.id, select);
      select(dc);
    };
    finder.addEventListener("input", () => void findByAddress());

    replace(
      root,
      h("h1", { id: "screen-title" }, "Where is your Zoho account?"),
      h(
        "p",
        { class: "lead" },
        "Each Zoho account lives in one data center, and a connection only works with the right one. Look at the address you sign in at: ",
        h("strong", {}, ".eu"),
        " is Europe, ",
        h("strong", {}, ".in"),
        " India, ",
        h("strong", {}, ".com"),
        " the United States.",
      ),
      h(
        "div",
        { class: "field dc-finder" },
        h("label", { for: "dc-address" }, "Not sure? Paste the address you sign in at"),
        finder,
        finderResult,
      ),
      h("form", { class: "dc-form", novalidate: true }, h("fieldset", { class: "dc-fieldset", "aria-labelledby": "screen-title" }, list)),
      details,
      h(
        "p",
        { class: "details-note" },
        "Using Zoho's consent page later? Then Zoho itself tells the assistant the right data center when you sign in; pick the one you think is right here.",
      ),
      h("div", { class: "actions" }, h("button", { type: "button", class: "button button-quiet", id: "back", onclick: () => ctx.back() }, "Back"), nextButton),
    );
    /** @type {HTMLButtonElement} */ (nextButton).disabled = ctx.state.dc === null;

    (async () => {
      dataCenters = await api.listDataCenters();
      if (ctx.state.dc === null) ctx.state.dc = await api.rememberedDataCenter().catch(() => null);
      renderDataCenterPicker(list, dataCenters, ctx.state.dc, select);
      const chosen = dataCenters.find((dc) => dc.id === ctx.state.dc);
      if (chosen) select(chosen);
    })().catch(ctx.problem);
  },
};
