// @ts-check
import * as api from "../api.js";
import { copyableField } from "../copy.js";
import { h, replace } from "../dom.js";

/**
 * Registering the assistant with Zoho: the way in (Self Client or the consent page,
 * with a plain recommendation), the API Console opened in the browser, what to click
 * there for that kind of client, and the two values to bring back, checked as they are
 * typed. The secret goes to Rust on Continue and the field is emptied.
 * @type {import("../flow.js").Screen}
 */
export const register = {
  title: "Register",
  render(root, ctx) {
    const state = ctx.state;
    const consoleName = ctx.practice.on ? "practice API Console" : "API Console";
    const idInput = /** @type {HTMLInputElement} */ (
      h("input", {
        type: "text",
        id: "client-id",
        class: "text-input mono",
        autocomplete: "off",
        spellcheck: "false",
        "aria-describedby": "client-id-note",
      })
    );
    idInput.value = state.clientId;
    const secretInput = /** @type {HTMLInputElement} */ (
      h("input", {
        type: "password",
        id: "client-secret",
        class: "text-input mono",
        autocomplete: "off",
        spellcheck: "false",
        "aria-describedby": "client-secret-note",
      })
    );
    const idNote = h("p", { id: "client-id-note", class: "field-note", "aria-live": "polite" });
    const secretNote = h("p", { id: "client-secret-note", class: "field-note", "aria-live": "polite" });
    const reveal = /** @type {HTMLButtonElement} */ (
      h("button", { type: "button", class: "button button-quiet button-small", id: "reveal-secret", "aria-pressed": "false", "aria-controls": "client-secret" }, "Show")
    );
    reveal.addEventListener("click", () => {
      const shown = secretInput.type === "text";
      secretInput.type = shown ? "password" : "text";
      reveal.textContent = shown ? "Show" : "Hide";
      reveal.setAttribute("aria-pressed", String(!shown));
    });
    const nextButton = /** @type {HTMLButtonElement} */ (
      h("button", { type: "button", class: "button", id: "register-next" }, "Continue")
    );

    /** Shows a field's problem only once something was typed in it. */
    let seq = 0;
    const check = async () => {
      state.clientId = idInput.value;
      const mine = ++seq;
      const result = await api.checkClientFields(idInput.value, secretInput.value);
      if (mine !== seq) return;
      idNote.textContent = idInput.value.trim() ? (result.clientId ?? "Looks right.") : "";
      secretNote.textContent = secretInput.value.trim() ? (result.clientSecret ?? "Looks right.") : "";
      idNote.classList.toggle("field-bad", Boolean(idInput.value.trim() && result.clientId));
      secretNote.classList.toggle("field-bad", Boolean(secretInput.value.trim() && result.clientSecret));
      nextButton.disabled = Boolean(result.clientId || result.clientSecret);
    };
    idInput.addEventListener("input", () => void check().catch(ctx.problem));
    secretInput.addEventListener("input", () => void check().catch(ctx.problem));

    nextButton.addEventListener("click", async () => {
      if (!state.dc) return ctx.go("datacenter");
      ctx.problem(null);
      nextButton.disabled = true;
      try {
        state.client = await api.setClient(state.dc, state.way, idInput.value, secretInput.value);
        secretInput.value = "";
        ctx.next();
      } catch (err) {
        nextButton.disabled = false;
        ctx.problem(err);
      }
    });

    const kept =
      state.client && state.client.clientId === state.clientId.trim() && state.client.clientType === state.way ? state.client : null;

    const payments = state.product === "payments";
    // The organization way is Zoho Payments' only: another product asks the usual way.
    if (state.way === "org" && !payments) state.way = "server_based";
    const steps = h("ol", { class: "steps-list", id: "register-steps" });
    const renderSteps = async () => {
      if (state.way === "org") {
        const redirect = await api.redirectUri();
        replace(
          steps,
          h("li", {}, "Sign in to Zoho as the owner or an admin of the Zoho Payments account."),
          h("li", {}, "Click ", h("strong", {}, "Add Client"), " and choose the organization-level client type (", h("strong", {}, "ORG"), ") for Zoho Payments."),
          h("li", {}, "Client Name: anything you will recognise, such as ", h("strong", {}, "Zoho OAuth Assistant"), ". Homepage URL: ", h("code", {}, "http://localhost"), "."),
          h("li", {}, "Authorized Redirect URIs: exactly this address (copy it):", copyableField(h, "redirect-uri", redirect, "redirect URI")),
          h("li", {}, "Click ", h("strong", {}, "Create"), ", then copy the ", h("strong", {}, "Client ID"), " and the ", h("strong", {}, "Client Secret"), " into the fields below."),
        );
        return;
      }
      if (state.way === "self_client") {
        replace(
          steps,
          h("li", {}, "Sign in to Zoho if it asks (with the account the other tool should use)."),
          h("li", {}, "Click ", h("strong", {}, "Get Started"), " or ", h("strong", {}, "Add Client"), ", choose ", h("strong", {}, "Self Client"), ", then ", h("strong", {}, "Create Now"), " and ", h("strong", {}, "OK"), "."),
          h("li", {}, "Open the ", h("strong", {}, "Client Secret"), " tab. Copy the ", h("strong", {}, "Client ID"), " and the ", h("strong", {}, "Client Secret"), " into the fields below."),
        );
        return;
      }
      if (state.way === "non_browser") {
        replace(
          steps,
          h("li", {}, "Sign in to Zoho if it asks."),
          h("li", {}, "Click ", h("strong", {}, "Add Client"), " and choose ", h("strong", {}, "Non-browser based application"), " (in the practice console: ", h("strong", {}, "Non-browser based application"), " under Client Type)."),
          h("li", {}, "Client Name: anything you will recognise, such as ", h("strong", {}, "Zoho OAuth Assistant"), ". Homepage URL: ", h("code", {}, "http://localhost"), ". No redirect address is needed."),
          h("li", {}, "Click ", h("strong", {}, "Create"), ", then copy the ", h("strong", {}, "Client ID"), " and the ", h("strong", {}, "Client Secret"), " into the fields below."),
          h("li", {}, "Accounts in other data centers too? In the client's ", h("strong", {}, "Settings"), " tab, turn on ", h("strong", {}, "Multi-DC"), " for them."),
        );
        return;
      }
      const redirect = await api.redirectUri();
      replace(
        steps,
        h("li", {}, "Sign in to Zoho if it asks."),
        h("li", {}, "Click ", h("strong", {}, "Add Client"), " and choose ", h("strong", {}, "Server-based Applications"), "."),
        h("li", {}, "Client Name: anything you will recognise, such as ", h("strong", {}, "Zoho OAuth Assistant"), ". Homepage URL: ", h("code", {}, "http://localhost"), "."),
        h("li", {}, "Authorized Redirect URIs: exactly this address (copy it):", copyableField(h, "redirect-uri", redirect, "redirect URI")),
        h("li", {}, "Click ", h("strong", {}, "Create"), ", then copy the ", h("strong", {}, "Client ID"), " and the ", h("strong", {}, "Client Secret"), " into the fields below."),
        h("li", {}, "Accounts in other data centers too? In the client's ", h("strong", {}, "Settings"), " tab, turn on ", h("strong", {}, "Multi-DC"), " for them."),
      );
    };

    /** @param {import("../api.js").ClientType} way @param {string} name @param {string} note @param {string} badge */
    const wayCard = (way, name, note, badge) => {
      const input = /** @type {HTMLInputElement} */ (h("input", { type: "radio", name: "way", id: `way-${way}`, value: way, class: "choice-radio" }));
      input.checked = state.way === way;
      input.addEventListener("change", () => {
        state.way = way;
        ctx.go("register");
      });
      return h(
        "label",
        { class: "choice-card way-card", for: `way-${way}` },
        input,
        h("span", { class: "choice-name" }, name, badge ? h("span", { class: "badge" }, badge) : null),
        h("span", { class: "way-note" }, note),
      );
    };

    // Client credentials: an expert's choice, for a Self Client only.
    const oneTimeInput = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: "way-one-time", class: "check" }));
    oneTimeInput.checked = state.oneTimeTask;
    oneTimeInput.addEventListener("change", () => {
      state.oneTimeTask = oneTimeInput.checked;
    });
    const oneTime =
      state.way === "self_client"
        ? h(
            "details",
            { class: "expert", id: "one-time-details", open: state.oneTimeTask },
            h("summary", {}, "For experts: a one-time server task"),
            h(
              "label",
              { class: "check-row", for: "way-one-time" },
              oneTimeInput,
              h("span", {}, "For a one-time server task: no refresh token, asks Zoho again every hour. It works for one organization, which you name in the next step."),
            ),
          )
        : null;

    replace(
      root,
      h("h1", { id: "screen-title" }, "Register the assistant with Zoho"),
      h("p", { class: "lead" }, "Zoho only gives tokens to apps registered in its API Console. Choose how:"),
      h(
        "div",
        { class: "way-list", role: "radiogroup", "aria-label": "Way in" },
        payments
          ? wayCard(
              "org",
              "Organization (Zoho Payments)",
              "Zoho is retiring the Self Client way for Zoho Payments. With this way the owner or an admin approves once for the whole organization, and the tokens keep working after the person who approved leaves.",
              "Recommended",
            )
          : null,
        wayCard(
          "self_client",
          "Self Client",
          payments
            ? "For those who already use it with Zoho Payments: Zoho now calls this way \"deprecated soon\". It belongs to your own Zoho account; you paste a code from the console."
            : "Simplest: it belongs to your own Zoho account and needs no browser hand-off. One per data center; you paste a code from the console.",
          payments ? "" : "Recommended",
        ),
        wayCard(
          "server_based",
          "Consent page",
          "A server-based client: you approve in your browser and Zoho tells the assistant your data center. One client can serve every data center (Multi-DC).",
          "",
        ),
        wayCard(
          "non_browser",
          "Approve on another device",
          "For a customer on the phone, a strict firewall or a remote desktop: the assistant shows a short code, and anyone can approve it on their own phone or computer.",
          "",
        ),
      ),
      oneTime,
      h(
        "div",
        { class: "console-open" },
        h(
          "button",
          {
            type: "button",
            class: "button",
            id: "open-console",
            onclick: () => {
              ctx.problem(null);
              if (state.dc) api.openApiConsole(state.dc).catch(ctx.problem);
            },
          },
          `Open the ${consoleName}`,
          h("span", { class: "button-note" }, " in your browser"),
        ),
      ),
      steps,
      h(
        "div",
        { class: "field" },
        h("label", { for: "client-id", class: "field-label" }, "Client ID"),
        idInput,
        idNote,
      ),
      h(
        "div",
        { class: "field" },
        h("label", { for: "client-secret", class: "field-label" }, "Client Secret"),
        h("div", { class: "secret-field" }, secretInput, reveal),
        kept
          ? h("p", { class: "field-note" }, `The assistant already has the secret ending ${kept.secretHint.replace(/•/g, "")}; paste it again only to change it.`)
          : null,
        secretNote,
      ),
      h("p", { class: "details-note" }, "The Client Secret stays inside the assistant on this computer and is sent only to Zoho."),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "button button-quiet", id: "back", onclick: () => ctx.back() }, "Back"),
        kept
          ? h("button", { type: "button", class: "button button-quiet", id: "register-keep", onclick: () => ctx.next() }, "Keep the same client")
          : null,
        nextButton,
      ),
    );
    nextButton.disabled = true;
    renderSteps().catch(ctx.problem);
    if (state.clientId) void check().catch(ctx.problem);
  },
};
