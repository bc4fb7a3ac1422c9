// @ts-check
import * as api from "../api.js";
import { h, replace } from "../dom.js";
import { clock } from "../views/status.js";

/**
 * "Add permissions" to a saved connection: the product's permissions as on the
 * permission screen, those the connection has shown ticked and kept, then Zoho's page
 * in the browser with a live wait and Cancel. Zoho adds the new ones to the refresh
 * token already in use, so nothing is minted and every tool keeps working. A Self
 * Client connection cannot do this: the screen says so and offers Regenerate.
 * @type {import("../flow.js").Screen}
 */
export const enhance = {
  title: "Add permissions",
  render(root, ctx) {
    const id = ctx.state.selected ?? "";
    let stopped = false;
    /** @type {(() => void)|null} */
    let unlisten = null;
    let waiting = false;
    const body = h("div", { id: "enhance-body" }, h("p", { class: "progress", role: "status" }, "Reading the connection…"));
    const back = h(
      "p",
      { class: "back-link" },
      h("button", { type: "button", class: "link-button", id: "enhance-back", onclick: () => ctx.go("connection") }, "‹ Back to the connection"),
    );
    replace(root, back, h("h1", { id: "screen-title" }, "Add permissions"), body);

    Promise.all([api.enhancePreview(id), api.scopeCatalog()])
      .then(([preview, catalog]) => {
        if (stopped) return;
        const c = preview.connection;
        const title = root.querySelector("#screen-title");
        if (title) title.textContent = `Add permissions to ${c.name}`;
        if (!preview.possible) {
          replace(
            body,
            h("p", { class: "notice notice-warn", id: "enhance-not-possible", role: "status" }, preview.reason ?? ""),
            h("p", {}, "The connection stays as it is until you do."),
            h(
              "div",
              { class: "actions" },
              h("button", { type: "button", class: "button", id: "enhance-regenerate", onclick: () => ctx.go("regenerate") }, "Regenerate instead"),
              h("button", { type: "button", class: "button button-quiet", id: "enhance-cancel-choice", onclick: () => ctx.go("connection") }, "Keep it as it is"),
            ),
          );
          return;
        }
        picker(c, productOf(catalog.products, c));
      })
      .catch(ctx.problem);

    /**
     * @param {api.ConnectionView} c
     * @param {api.Product|undefined} product
     */
    const picker = (c, product) => {
      const held = new Set(c.scopes);
      /** @type {Set<string>} */
      const picked = new Set();
      const custom = /** @type {HTMLInputElement} */ (
        h("input", { type: "text", id: "enhance-custom", class: "text-input mono", placeholder: "e.g. ZohoBooks.bills.READ", "aria-describedby": "enhance-custom-note" })
      );
      const check = h("div", { id: "enhance-check", class: "scope-check", "aria-live": "polite" });
      const go = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "button", id: "enhance-start", disabled: true }, "Add these permissions"));
      const summary = h("p", { class: "field-note", id: "enhance-summary", role: "status" }, "Tick the permissions to add.");
      let checkSeq = 0;
      /** @type {string[]} */
      let customScopes = [];

      const update = async () => {
        const typed = custom.value.trim();
        const seq = ++checkSeq;
        if (typed) {
          const result = await api.checkScopes(typed);
          if (seq !== checkSeq || stopped) return;
          customScopes = result.ok ? (result.scopeString ?? "").split(",").filter(Boolean) : [];
          replace(check, ...(result.ok ? [] : result.problems.map((f) => h("p", { class: "check-problem" }, `${f.message} ${f.fix}`))));
          if (!result.ok) {
            go.disabled = true;
            summary.textContent = "Fix the scopes typed above first.";
            return;
          }
        } else {
          customScopes = [];
          replace(check);
        }
        const adding = [...new Set([...picked, ...customScopes])].filter((s) => !held.has(s));
        go.disabled = adding.length === 0;
        summary.textContent =
          adding.length === 0
            ? "Tick the permissions to add."
            : `${adding.length === 1 ? "1 permission" : `${adding.length} permissions`} to add: ${adding.join(", ")}`;
      };
      custom.addEventListener("input", () => void update());

      /** @param {api.Scope} scope */
      const row = (scope) => {
        const kept = held.has(scope.scope);
        const boxId = `enhance-scope-${scope.scope.replace(/[^A-Za-z0-9]/g, "-")}`;
        const box = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id: boxId, class: "check" }));
        box.checked = kept;
        box.disabled = kept;
        box.addEventListener("change", () => {
          if (box.checked) picked.add(scope.scope);
          else picked.delete(scope.scope);
          void update();
        });
        return h(
          "label",
          { class: scope.dangerous ? "check-row danger-row" : "check-row", for: boxId, "data-scope": scope.scope },
          box,
          h(
            "span",
            {},
            scope.label,
            kept ? h("span", { class: "badge badge-kept" }, " already has") : null,
            scope.dangerous ? h("span", { class: "check-note" }, " (can delete)") : null,
            h("code", { class: "scope-code" }, scope.scope),
          ),
        );
      };

      /** @type {Map<string, api.Scope[]>} */
      const groups = new Map();
      const labels = new Map((product?.scopes ?? []).map((s) => [s.scope, s.label]));
      for (const scope of product?.scopes ?? []) groups.set(scope.group, [...(groups.get(scope.group) ?? []), scope]);

      replace(
        body,
        h(
          "p",
          { class: "lead" },
          `Zoho adds the permissions you tick to the refresh token ${c.name} already has. No new token is made: every tool using it keeps working, and Zoho's limit of 20 refresh tokens is not touched.`,
        ),
        h(
          "section",
          { class: "always-on", id: "enhance-kept", "aria-labelledby": "enhance-kept-title" },
          h("h2", { class: "section-title", id: "enhance-kept-title" }, "It already has"),
          h(
            "ul",
            { class: "kept-list" },
            ...c.scopes.map((s) => h("li", {}, labels.get(s) ?? "", labels.has(s) ? " " : null, h("code", { class: "scope-code" }, s))),
          ),
        ),
        ...[...groups].map(([group, scopes]) => {
          const has = scopes.filter((s) => held.has(s.scope)).length;
          return h(
            "details",
            { class: "scope-group", open: has > 0, "data-group": group },
            h(
              "summary",
              {},
              h("span", { class: "scope-group-name" }, group),
              h("span", { class: "scope-group-count" }, has ? `${has} of ${scopes.length} already` : `${scopes.length} permissions`),
            ),
            h("fieldset", { class: "scope-group-body" }, h("legend", { class: "visually-hidden" }, group), ...scopes.map(row)),
          );
        }),
        h(
          "div",
          { class: "field" },
          h("label", { for: "enhance-custom", class: "field-label" }, "Other scopes (for experts)"),
          custom,
          h("p", { class: "field-note", id: "enhance-custom-note" }, "Exactly as Zoho documents them, separated by commas."),
          check,
        ),
        summary,
        h("div", { class: "actions" }, go),
      );

      go.addEventListener("click", () => {
        const adding = [...new Set([...picked, ...customScopes])].filter((s) => !held.has(s));
        void begin(c, adding);
      });
    };

    /**
     * The browser step: Zoho's page, a live wait, Cancel and "open again".
     * @param {api.ConnectionView} c
     * @param {string[]} adding
     */
    const begin = async (c, adding) => {
      ctx.problem(null);
      const status = h("div", { id: "enhance-status", class: "waiting", role: "status", "aria-live": "polite" }, h("p", {}, h("strong", {}, "Asking Zoho…")));
      const reopen = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "button button-quiet", id: "enhance-reopen" }, "Open Zoho's page again"));
      const cancel = /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: "button button-quiet", id: "enhance-cancel" }, "Cancel"));
      const picker = body.firstChild ? [...body.childNodes] : [];
      const area = h("div", { id: "enhance-waiting" }, status, h("div", { class: "actions" }, reopen, cancel));
      // Hidden by style: some of these (the actions row) set their own display.
      const shown = (/** @type {boolean} */ on) =>
        picker.forEach((n) => {
          if (n instanceof HTMLElement) n.style.display = on ? "" : "none";
        });
      shown(false);
      body.append(area);
      const restore = () => {
        area.remove();
        shown(true);
      };

      reopen.addEventListener("click", () => {
        api.reopenEnhancePage().catch(ctx.problem);
      });
      cancel.addEventListener("click", () => {
        cancel.disabled = true;
        api.cancelEnhance().catch(ctx.problem);
      });

      /** @param {api.EnhanceEvent} event */
      const onEvent = (event) => {
        if (!waiting || stopped) return;
        switch (event.stage) {
          case "waiting":
            replace(
              status,
              h("p", {}, h("strong", {}, "Waiting for you to approve in your browser… "), h("span", { class: "waiting-clock", id: "enhance-clock" }, `${clock(event.elapsed_seconds)} of ${clock(event.timeout_seconds)}`)),
              h("p", { class: "muted" }, `Zoho's page lists the permissions to add to ${c.name}. Sign in as ${c.zohoUser ?? "the same Zoho user"} if Zoho asks, check them, and click Accept. Then come back here.`),
            );
            break;
          case "added":
            waiting = false;
            ctx.state.flash = { text: event.message, tone: "ok" };
            ctx.go("connection");
            break;
          case "failed":
            waiting = false;
            restore();
            ctx.problem(event.problem);
            break;
        }
      };

      try {
        if (!unlisten) {
          const off = await api.onEnhanceEvent(onEvent);
          if (stopped) off();
          else unlisten = off;
        }
        waiting = true;
        const started = await api.startEnhance(c.id, adding);
        if (!waiting) return;
        replace(
          status,
          h("p", {}, h("strong", {}, started.browserOpened ? "Your browser shows Zoho's page." : "Your browser did not open: press \"Open Zoho's page again\".")),
          h("p", { class: "muted" }, `Adding: ${started.adding.join(", ")}`),
        );
      } catch (err) {
        waiting = false;
        restore();
        ctx.problem(err);
      }
    };

    return () => {
      stopped = true;
      if (waiting) void api.cancelEnhance();
      unlisten?.();
    };
  },
};

/**
 * The catalog product of a saved connection: by its name, else by the service its
 * scopes start with.
 * @param {api.Product[]} products
 * @param {api.ConnectionView} c
 * @returns {api.Product|undefined}
 */
function productOf(products, c) {
  return (
    products.find((p) => p.name === c.product) ??
    products.find((p) => c.scopes.some((s) => s.toLowerCase().startsWith(`${p.service.toLowerCase()}.`)))
  );
}
