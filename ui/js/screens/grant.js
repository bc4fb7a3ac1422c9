// @ts-check
import * as api from "../api.js";
import { copyableField } from "../copy.js";
import { h, replace } from "../dom.js";
import { renderConsent } from "./consent.js";
import { renderDevice } from "./device.js";
import { renderClientCredentials } from "./client_credentials.js";

/** The durations Zoho's console offers for a Self Client code, in minutes. */
const DURATIONS = [3, 4, 5, 6, 7, 8, 9, 10];

/** Refusals fixed on the register screen, not here: the way there is offered with them. */
const CLIENT_PROBLEMS = new Set(["invalid_client", "invalid_client_secret"]);

/**
 * Getting the grant: the consent page for a server-based client, or the Self Client's
 * code pasted from the console.
 * @type {import("../flow.js").Screen}
 */
export const grant = {
  title: (state) => (consentWay(state) || state.way === "non_browser" ? "Approve" : oneTime(state) ? "Get a token" : "Get a code"),
  render(root, ctx) {
    const stop =
      consentWay(ctx.state)
        ? renderConsent(root, ctx)
        : ctx.state.way === "non_browser"
          ? renderDevice(root, ctx)
          : oneTime(ctx.state)
            ? renderClientCredentials(root, ctx)
            : renderSelfClient(root, ctx);
    const banner = regenerationBanner(ctx);
    if (banner) root.prepend(banner);
    return stop;
  },
};

/**
 * Both ways that approve on a consent page: a server-based client, and Zoho Payments'
 * organization-level client (its page is another, the listener and exchange the same).
 * @param {import("../flow.js").FlowState} state
 */
const consentWay = (state) => state.way === "server_based" || state.way === "org";

/**
 * The expert's one-time server task, never while regenerating (that needs a refresh token).
 * @param {import("../flow.js").FlowState} state
 */
const oneTime = (state) => state.way === "self_client" && state.oneTimeTask && !state.regenerating;

/**
 * While a saved connection is being regenerated the grant step says so; its Back
 * button becomes "Cancel regenerating", back to that connection with nothing changed.
 * @param {import("../flow.js").Context} ctx
 * @returns {HTMLElement|null}
 */
export function regenerationBanner(ctx) {
  const regen = ctx.state.regenerating;
  if (!regen) return null;
  return h(
    "div",
    { class: "notice regen-banner", id: "regen-banner", role: "note" },
    h("p", { class: "notice-message" }, `Regenerating ${regen.name}`),
    h("p", {}, "Same client, permissions and data center as saved. Once Zoho gives the new token, you choose whether to revoke the old one. Cancel regenerating leaves the connection as it is."),
  );
}

/**
 * What to click and paste in the console, a field for the code, and a countdown of how
 * long it stays valid from the moment it was pasted, with a warning in the last minute.
 * The code goes to Rust on Continue.
 * @param {HTMLElement} root
 * @param {import("../flow.js").Context} ctx
 */
function renderSelfClient(root, ctx) {
  {
    const state = ctx.state;
    const scopeField = copyableField(h, "grant-scopes", state.scopeString, "scopes to paste");
    const duration = /** @type {HTMLSelectElement} */ (
      h("select", { id: "grant-duration", class: "text-input select", "aria-label": "Time Duration chosen in the console" }, ...DURATIONS.map((m) => h("option", { value: String(m) }, `${m} minutes`)))
    );
    duration.value = String(state.codeMinutes);
    duration.addEventListener("change", () => {
      state.codeMinutes = Number(duration.value);
      restartCountdown();
    });
    const codeInput = /** @type {HTMLInputElement} */ (
      h("input", { type: "password", id: "grant-code", class: "text-input mono", autocomplete: "off", spellcheck: "false", "aria-describedby": "grant-countdown" })
    );
    const countdown = h("p", { id: "grant-countdown", class: "field-note", role: "timer", "aria-live": "polite" });
    const progress = h("p", { id: "grant-progress", class: "progress", role: "status", hidden: true });
    const nextButton = /** @type {HTMLButtonElement} */ (
      h("button", { type: "button", class: "button", id: "grant-next", disabled: true }, "Get the tokens")
    );
    // A refused exchange leaves the code unspent, so after fixing the client the same
    // code can be pasted again while it is still valid.
    // A saved client is not changed while regenerating: a refused one is a problem to
    // read, and the way out is Cancel.
    const clientFix = h(
      "p",
      { id: "grant-client-fix", class: "field-note", hidden: true },
      h("button", { type: "button", class: "button button-quiet button-small", id: "grant-fix-client", onclick: () => ctx.go("register") }, "Change the Client ID or Secret"),
      ", then paste the code again (or a new one if it has run out).",
    );
    const canFixClient = !state.regenerating;

    /** When the pasted code stops working, by this computer's clock. */
    let expiresAt = 0;
    const tick = () => {
      if (!codeInput.value.trim()) {
        countdown.textContent = "";
        countdown.className = "field-note";
        return;
      }
      const left = Math.max(0, Math.round((expiresAt - Date.now()) / 1000));
      const clock = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
      if (left === 0) {
        countdown.textContent = "This code has run out. Generate a new one in the console (Generate Code again) and paste it here.";
        countdown.className = "field-note field-bad";
        nextButton.disabled = true;
      } else {
        countdown.textContent =
          left <= 60 ? `Hurry: about ${clock} left to use this code.` : `About ${clock} left to use this code.`;
        countdown.className = left <= 60 ? "field-note field-warn" : "field-note";
        nextButton.disabled = false;
      }
    };
    const restartCountdown = () => {
      expiresAt = Date.now() + state.codeMinutes * 60_000;
      tick();
    };
    codeInput.addEventListener("input", restartCountdown);
    const timer = window.setInterval(tick, 1000);

    nextButton.addEventListener("click", async () => {
      ctx.problem(null);
      clientFix.hidden = true;
      nextButton.disabled = true;
      progress.hidden = false;
      progress.textContent = "Exchanging the code for tokens at Zoho…";
      try {
        state.tokens = await api.exchangeSelfClientCode(codeInput.value);
        codeInput.value = "";
        ctx.next();
      } catch (err) {
        progress.hidden = true;
        nextButton.disabled = false;
        clientFix.hidden = !canFixClient || !CLIENT_PROBLEMS.has(/** @type {api.Problem} */ (err)?.kind);
        ctx.problem(err);
      }
    });

    const consoleName = ctx.practice.on ? "practice API Console" : "API Console";
    replace(
      root,
      h("h1", { id: "screen-title" }, "Get a code from Zoho"),
      h("p", { class: "lead" }, "In the ", consoleName, ", the Self Client makes a one-time code. The assistant trades it for the tokens; the code only works for the few minutes you choose."),
      h(
        "ol",
        { class: "steps-list", id: "grant-steps" },
        h(
          "li",
          {},
          "In the Self Client, open the ",
          h("strong", {}, "Generate Code"),
          " tab. ",
          h(
            "button",
            {
              type: "button",
              class: "link-button",
              id: "grant-open-console",
              onclick: () => state.dc && api.openApiConsole(state.dc).catch(ctx.problem),
            },
            `Open the ${consoleName} again`,
          ),
        ),
        h("li", {}, "Copy these scopes into ", h("strong", {}, "Scope"), ":", scopeField),
        h("li", {}, "Pick a ", h("strong", {}, "Time Duration"), " and choose the same here: ", duration),
        h("li", {}, "Type anything as the ", h("strong", {}, "Scope Description"), " (for example: Assistant), then click ", h("strong", {}, "Create"), "."),
        h("li", {}, "Copy the code Zoho shows and paste it here."),
      ),
      h("div", { class: "field" }, h("label", { for: "grant-code", class: "field-label" }, "Code from Zoho"), codeInput, countdown),
      progress,
      clientFix,
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "button button-quiet", id: "back", onclick: () => ctx.back() }, state.regenerating ? "Cancel regenerating" : "Back"),
        nextButton,
      ),
    );
    return () => window.clearInterval(timer);
  }
}
