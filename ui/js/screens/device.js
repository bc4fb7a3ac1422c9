// @ts-check
import * as api from "../api.js";
import { copyableField } from "../copy.js";
import { h, replace } from "../dom.js";

/**
 * "Approve on another device": Zoho's device flow. The assistant shows a short code and
 * Zoho's address, large enough to read out to a customer on the phone; the person types
 * the code there on any device and approves. Meanwhile a countdown shows how long the
 * code works and the wait is visible, with Cancel. Rust asks Zoho no more often than
 * Zoho allows and keeps the tokens; this page only ever sees the code shown to people.
 * @param {HTMLElement} root
 * @param {import("../flow.js").Context} ctx
 * @returns {() => void} stops listening
 */
export function renderDevice(root, ctx) {
  const state = ctx.state;
  const shown = h("div", { id: "device-shown", class: "device-shown", hidden: true });
  const status = h("div", { id: "device-status", class: "waiting", role: "status", "aria-live": "polite", hidden: true });
  const startButton = /** @type {HTMLButtonElement} */ (
    h("button", { type: "button", class: "button button-large", id: "device-start" }, "Show a code")
  );
  const cancelButton = /** @type {HTMLButtonElement} */ (
    h("button", { type: "button", class: "button button-quiet", id: "device-cancel", hidden: true }, "Cancel")
  );
  const lead = h(
    "p",
    { class: "lead", id: "device-lead" },
    "No browser needed on this computer: the assistant shows a short code, and the approval happens on any device, for instance a customer's phone while you talk to them. Nothing has to come back to this computer.",
  );
  let waiting = false;
  let interval = 30;
  /** @type {string} */
  let movedTo = "";
  /** @type {(() => void)|null} */
  let unlisten = null;
  let stopped = false;

  /** @param {number} seconds */
  const clock = (seconds) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;

  /** @param {string} number @param {...(string|HTMLElement)} words */
  const step = (number, ...words) =>
    h("p", { class: "device-step" }, h("span", { class: "device-step-number" }, number), h("span", {}, ...words));

  /** @param {number} left seconds the code still works */
  const countdownLine = (left) =>
    h(
      "span",
      { id: "device-countdown", class: left <= 60 ? "device-countdown field-bad" : "device-countdown", role: "timer" },
      left > 0 ? `The code works for ${clock(left)} more.` : "The code has run out.",
    );

  /** Back to the start button, after an ending that was not success. */
  const reset = () => {
    waiting = false;
    lead.hidden = false;
    status.hidden = true;
    cancelButton.hidden = true;
    shown.hidden = true;
    replace(shown);
    startButton.hidden = false;
    startButton.disabled = false;
    startButton.textContent = "Get a new code";
  };

  /** @param {api.DeviceEvent} event */
  const onEvent = (event) => {
    if (!waiting) return;
    switch (event.stage) {
      case "waiting": {
        const left = Math.max(event.expires_in_seconds - event.elapsed_seconds, 0);
        replace(
          status,
          h("p", {}, h("strong", {}, "Waiting for the approval… "), h("span", { class: "waiting-clock" }, clock(event.elapsed_seconds)), " · ", countdownLine(left)),
          h(
            "p",
            { class: "muted device-interval" },
            movedTo
              ? `Approved by an account in the ${movedTo} data center: the assistant now asks Zoho there. `
              : "",
            `The assistant asks Zoho every ${interval} seconds, as Zoho requires, so it can take that long to notice the approval.`,
          ),
        );
        break;
      }
      case "slowed_down":
        interval = event.interval_seconds;
        break;
      case "moved":
        movedTo = event.dc_name;
        break;
      case "connected":
        waiting = false;
        state.tokens = event.tokens;
        ctx.next();
        break;
      case "failed":
        reset();
        ctx.problem(event.problem);
        break;
    }
  };

  startButton.addEventListener("click", async () => {
    ctx.problem(null);
    startButton.disabled = true;
    startButton.textContent = "Asking Zoho for a code…";
    try {
      if (!unlisten) {
        const off = await api.onDeviceEvent(onEvent);
        if (stopped) off();
        else unlisten = off;
      }
      const started = await api.startDeviceFlow(state.regenerating?.scopes ?? state.scopeString.split(","));
      waiting = true;
      interval = started.intervalSeconds;
      movedTo = "";
      startButton.hidden = true;
      cancelButton.hidden = false;
      status.hidden = false;
      replace(status, h("p", {}, h("strong", {}, "Waiting for the approval… "), countdownLine(started.expiresInSeconds)));
      lead.hidden = true;
      const code = copyableField(h, "device-code", started.userCode, "code to type at Zoho");
      code.classList.add("device-code");
      const openButton = h(
        "button",
        {
          type: "button",
          class: "button button-quiet",
          id: "device-open",
          onclick: () => {
            ctx.problem(null);
            api.openDevicePage().catch(ctx.problem);
          },
        },
        "Open in browser",
      );
      replace(
        shown,
        step("1", "On any phone, tablet or computer, open this address:"),
        copyableField(h, "device-url", started.verificationUrl, "Zoho's address for the code"),
        h("p", { class: "field-note" }, openButton, " on this computer, or read the address out to the person who approves."),
        step("2", "Sign in with the Zoho account the other tool should use, and type this code:"),
        code,
        step("3", "Click ", h("strong", {}, "Approve"), ". The assistant notices it here by itself."),
      );
      shown.hidden = false;
    } catch (err) {
      reset();
      startButton.textContent = "Try again";
      ctx.problem(err);
    }
  });

  cancelButton.addEventListener("click", () => {
    api.cancelDeviceFlow().catch(ctx.problem);
  });

  replace(
    root,
    h("h1", { id: "screen-title" }, "Approve on another device"),
    lead,
    h("div", { class: "start-actions" }, startButton),
    status,
    shown,
    h(
      "div",
      { class: "actions" },
      h(
        "button",
        {
          type: "button",
          class: "button button-quiet",
          id: "back",
          onclick: () => {
            if (waiting) api.cancelDeviceFlow().catch(() => {});
            ctx.back();
          },
        },
        state.regenerating ? "Cancel regenerating" : "Back",
      ),
      cancelButton,
    ),
  );
  startButton.focus();
  return () => {
    stopped = true;
    if (waiting) api.cancelDeviceFlow().catch(() => {});
    unlisten?.();
  };
}
