// @ts-check
import * as api from "../api.js";
import { copyableField } from "../copy.js";
import { h, replace } from "../dom.js";

/**
 * "Approve in your browser": Zoho's consent page opened in the system browser, a live
 * wait with the time elapsed and Cancel, the address to open by hand if the browser
 * did not come up, and every outcome in plain words. The code never reaches this page:
 * the browser brings it back to the assistant's listener, and Rust exchanges it.
 * @param {HTMLElement} root
 * @param {import("../flow.js").Context} ctx
 * @returns {() => void} stops listening
 */
export function renderConsent(root, ctx) {
  const state = ctx.state;
  const status = h("div", { id: "consent-status", class: "waiting", role: "status", "aria-live": "polite", hidden: true });
  const fallback = h("div", { id: "consent-fallback" });
  const startButton = /** @type {HTMLButtonElement} */ (
    h("button", { type: "button", class: "button button-large", id: "consent-start" }, "Open Zoho's consent page")
  );
  const cancelButton = /** @type {HTMLButtonElement} */ (
    h("button", { type: "button", class: "button button-quiet", id: "consent-cancel", hidden: true }, "Cancel")
  );
  let waiting = false;
  /** @type {(() => void)|null} */
  let unlisten = null;
  let stopped = false;

  /** @param {number} seconds */
  const clock = (seconds) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;

  /** @param {api.ConsentEvent} event */
  const onEvent = (event) => {
    if (!waiting) return;
    switch (event.stage) {
      case "waiting":
        replace(
          status,
          h("p", {}, h("strong", {}, "Waiting for you to approve in your browser… "), h("span", { class: "waiting-clock" }, `${clock(event.elapsed_seconds)} of ${clock(event.timeout_seconds)}`)),
          h("p", { class: "muted" }, "Sign in if Zoho asks, check the permissions, and click Accept. Then come back here."),
        );
        break;
      case "exchanging":
        replace(status, h("p", {}, h("strong", {}, "Zoho answered. Exchanging the code for tokens…")));
        break;
      case "connected":
        waiting = false;
        state.tokens = event.tokens;
        ctx.next();
        break;
      case "failed":
        waiting = false;
        status.hidden = true;
        cancelButton.hidden = true;
        startButton.hidden = false;
        startButton.disabled = false;
        startButton.textContent = "Try again";
        // That address belonged to the attempt that just ended; nobody listens for it.
        replace(fallback);
        ctx.problem(event.problem);
        break;
    }
  };

  startButton.addEventListener("click", async () => {
    ctx.problem(null);
    startButton.disabled = true;
    try {
      if (!unlisten) {
        const off = await api.onConsentEvent(onEvent);
        if (stopped) off();
        else unlisten = off;
      }
      waiting = true;
      const started = await api.startConsent(state.regenerating?.scopes ?? state.scopeString.split(","));
      startButton.hidden = true;
      cancelButton.hidden = false;
      status.hidden = false;
      replace(status, h("p", {}, h("strong", {}, started.browserOpened ? "Your browser shows Zoho's consent page." : "Your browser did not open.")));
      replace(
        fallback,
        h(
          "details",
          { class: "expert", open: started.browserOpened ? false : true },
          h("summary", {}, "The browser did not open?"),
          h("p", { class: "muted" }, "Copy this address into your web browser. It carries no secret, and only works for this sign-in."),
          copyableField(h, "consent-url", started.authorizeUrl, "consent page address"),
        ),
      );
    } catch (err) {
      waiting = false;
      startButton.disabled = false;
      startButton.textContent = "Try again";
      ctx.problem(err);
    }
  });

  cancelButton.addEventListener("click", () => {
    api.cancelConsent().catch(ctx.problem);
  });

  replace(
    root,
    h("h1", { id: "screen-title" }, "Approve in your browser"),
    h(
      "p",
      { class: "lead" },
      "The assistant opens Zoho's consent page in your web browser. Sign in there with the account the other tool should use and click ",
      h("strong", {}, "Accept"),
      ". Zoho then sends the browser back to the assistant, and tells it which data center the account lives in.",
    ),
    h("div", { class: "start-actions" }, startButton),
    status,
    fallback,
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
            if (waiting) api.cancelConsent().catch(() => {});
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
    unlisten?.();
  };
}
