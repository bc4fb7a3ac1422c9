// @ts-check
import * as api from "../api.js";
import { h, replace } from "../dom.js";
import { requestedScopes } from "../flow.js";

/** The scope that lets the assistant say which Zoho user is connected. */
export const USER_INFO_SCOPE = "AaaServer.profile.Read";

/**
 * What the other tool may do: the product first, then permissions in plain words,
 * grouped, with presets, a search, full access as a separate explained choice, and the
 * exact scope string for experts, checked by the core as it is typed.
 * @type {import("../flow.js").Screen}
 */
export const permissions = {
  title: "Permissions",
  render(root, ctx) {
    const body = h("div", { id: "permissions-body" }, h("p", { class: "muted" }, "Loading the products…"));
    replace(
      root,
      h("h1", { id: "screen-title" }, "What should the other tool be allowed to do?"),
      h(
        "p",
        { class: "lead" },
        "Pick the Zoho product, then what the tool may see or change there. Ask for no more than it needs: you can always connect again with more.",
      ),
      body,
    );
    api
      .scopeCatalog()
      .then((catalog) => renderBody(body, ctx, catalog.products))
      .catch(ctx.problem);
  },
};

/**
 * @param {HTMLElement} body
 * @param {import("../flow.js").Context} ctx
 * @param {api.Product[]} products
 */
function renderBody(body, ctx, products) {
  const state = ctx.state;
  let product = products.find((p) => p.id === state.product) ?? products[0];
  if (state.scopes.length === 0 && !state.fullAccess && !state.customScopes) state.scopes = defaults(product);

  const productList = h("div", { class: "product-list", role: "radiogroup", "aria-labelledby": "product-question" });
  const scopeArea = h("div", { class: "scope-area" });
  const check = h("div", { id: "scope-check", class: "scope-check", "aria-live": "polite" });
  const scopeString = /** @type {HTMLInputElement} */ (
    h("input", { type: "text", id: "scope-string", class: "text-input mono", readonly: true, "aria-label": "Scopes sent to Zoho" })
  );
  const nextButton = /** @type {HTMLButtonElement} */ (
    h("button", { type: "button", class: "button", id: "permissions-next", onclick: () => ctx.next() }, "Continue")
  );

  let checkSeq = 0;
  const refresh = async () => {
    const wanted = requestedScopes(state, product);
    scopeString.value = wanted;
    const seq = ++checkSeq;
    const result = wanted ? await api.checkScopes(wanted) : null;
    if (seq !== checkSeq) return;
    renderCheck(check, result, ctx, product, () => {
      renderScopes();
      void refresh();
    });
    state.scopeString = result?.ok ? (result.scopeString ?? "") : "";
    nextButton.disabled = !result?.ok;
  };

  const renderProducts = () => {
    replace(
      productList,
      ...products.map((p) => {
        const input = h("input", {
          type: "radio",
          name: "product",
          value: p.id,
          id: `product-${p.id}`,
          class: "choice-radio",
          onchange: () => {
            product = p;
            state.product = p.id;
            state.scopes = defaults(p);
            state.fullAccess = false;
            renderScopes();
            void refresh();
          },
        });
        if (p.id === product.id) /** @type {HTMLInputElement} */ (input).checked = true;
        return h("label", { class: "choice-card product-card", for: `product-${p.id}` }, input, h("span", { class: "choice-name" }, p.name));
      }),
    );
  };

  const search = /** @type {HTMLInputElement} */ (
    h("input", { type: "search", id: "scope-search", class: "text-input", placeholder: "Search, e.g. invoices", "aria-label": "Search permissions" })
  );
  search.addEventListener("input", () => renderScopes());

  /** Groups the person opened by hand stay open across redraws. @type {Set<string>} */
  const openGroups = new Set();

  const renderScopes = () => {
    const term = search.value.trim().toLowerCase();
    const test = product.connection_test?.scope;
    const full = product.scopes.find((s) => /\.fullaccess\.all$/i.test(s.scope));
    /** @type {Map<string, api.Scope[]>} */
    const groups = new Map();
    for (const scope of product.scopes) {
      if (scope === full) continue;
      if (term && !`${scope.label} ${scope.group} ${scope.scope}`.toLowerCase().includes(term)) continue;
      groups.set(scope.group, [...(groups.get(scope.group) ?? []), scope]);
    }
    const presets = product.presets.filter((p) => !p.full_access);
    replace(
      scopeArea,
      h(
        "div",
        { class: "always-on" },
        h("h2", { class: "section-title" }, "Always included"),
        test
          ? scopeRow(state, test, `${product.connection_test?.shows ? `Lets the assistant check the connection works (it reads ${product.connection_test.shows})` : "Lets the assistant check the connection works"}`, false, refreshAll)
          : null,
        scopeRow(state, USER_INFO_SCOPE, "Show which Zoho user is connected (your name and e-mail)", false, refreshAll),
      ),
      presets.length
        ? h(
            "div",
            { class: "presets" },
            h("h2", { class: "section-title" }, "Ready-made choices"),
            h(
              "div",
              { class: "preset-list" },
              ...presets.map((preset) =>
                h(
                  "button",
                  {
                    type: "button",
                    class: "preset",
                    "data-preset": preset.id,
                    title: preset.description,
                    onclick: () => {
                      state.scopes = [...new Set([...defaults(product), ...preset.scopes])];
                      state.fullAccess = false;
                      refreshAll();
                    },
                  },
                  h("span", { class: "preset-name" }, preset.name),
                  h("span", { class: "preset-description" }, preset.description),
                ),
              ),
            ),
          )
        : null,
      h("div", { class: "scope-search" }, search),
      ...[...groups].map(([group, scopes]) => {
          // Groups stay folded unless something in them is picked, opened by hand, or
          // matched by the search: a product has dozens of scopes, and the page must
          // stay short enough to see Continue.
          const picked = scopes.filter((scope) => state.scopes.includes(scope.scope)).length;
          const open = picked > 0 || term !== "" || openGroups.has(group);
          const details = /** @type {HTMLDetailsElement} */ (
            h(
              "details",
              { class: "scope-group", open, "data-group": group },
              h(
                "summary",
                {},
                h("span", { class: "scope-group-name" }, group),
                h("span", { class: "scope-group-count" }, picked ? `${picked} of ${scopes.length} chosen` : `${scopes.length} permissions`),
              ),
              h("fieldset", { class: "scope-group-body" }, h("legend", { class: "visually-hidden" }, group), ...scopes.map((scope) => scopeRow(state, scope.scope, scope.label, scope.dangerous, refreshAll))),
            )
          );
          details.addEventListener("toggle", () => {
            if (details.open) openGroups.add(group);
            else openGroups.delete(group);
          });
          return details;
        },
      ),
      groups.size === 0 ? h("p", { class: "muted" }, "No permission matches that search.") : null,
      full
        ? h(
            "div",
            { class: "full-access" },
            h(
              "label",
              { class: "check-row danger-row" },
              checkbox("full-access", state.fullAccess, (on) => {
                state.fullAccess = on;
                void refresh();
              }),
              h(
                "span",
                {},
                h("strong", {}, `Full access to ${product.name}`),
                h(
                  "span",
                  { class: "check-note" },
                  ` (${full.scope}): the tool could see, change and delete everything, including what you did not tick above. Choose it only if the tool's instructions ask for it.`,
                ),
              ),
            ),
          )
        : null,
    );
  };

  const refreshAll = () => {
    renderScopes();
    void refresh();
  };

  const custom = /** @type {HTMLTextAreaElement} */ (
    h("textarea", { id: "custom-scopes", class: "text-input mono", rows: "2", spellcheck: "false", placeholder: "ZohoBooks.invoices.READ, ZohoBooks.contacts.READ" })
  );
  custom.value = state.customScopes;
  custom.addEventListener("input", () => {
    state.customScopes = custom.value;
    void refresh();
  });

  replace(
    body,
    h("h2", { class: "section-title", id: "product-question" }, "Which Zoho product?"),
    productList,
    scopeArea,
    h(
      "details",
      { class: "expert", open: state.customScopes ? true : false },
      h("summary", {}, "For experts: scopes as text"),
      h("label", { for: "custom-scopes", class: "field-label" }, "More scopes (separated by commas), checked as you type"),
      custom,
      h("label", { for: "scope-string", class: "field-label" }, "What will be sent to Zoho (select to copy)"),
      scopeString,
    ),
    check,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "button button-quiet", id: "back", onclick: () => ctx.back() }, "Back"),
      nextButton,
    ),
  );
  scopeString.addEventListener("focus", () => scopeString.select());
  renderProducts();
  renderScopes();
  void refresh();
}

/**
 * The scopes a new selection starts with: the connection test's and the user info.
 * @param {api.Product} product
 * @returns {string[]}
 */
function defaults(product) {
  return [...(product.connection_test ? [product.connection_test.scope] : []), USER_INFO_SCOPE];
}

/**
 * @param {string} id
 * @param {boolean} checked
 * @param {(on: boolean) => void} onChange
 */
function checkbox(id, checked, onChange) {
  const box = /** @type {HTMLInputElement} */ (h("input", { type: "checkbox", id, class: "check" }));
  box.checked = checked;
  box.addEventListener("change", () => onChange(box.checked));
  return box;
}

/**
 * @param {import("../flow.js").FlowState} state
 * @param {string} scope
 * @param {string} label
 * @param {boolean} dangerous
 * @param {() => void} onChange
 */
function scopeRow(state, scope, label, dangerous, onChange) {
  const id = `scope-${scope.replace(/[^A-Za-z0-9]/g, "-")}`;
  return h(
    "label",
    { class: dangerous ? "check-row danger-row" : "check-row", for: id, "data-scope": scope },
    checkbox(id, state.scopes.includes(scope), (on) => {
      state.scopes = on ? [...state.scopes, scope] : state.scopes.filter((s) => s !== scope);
      onChange();
    }),
    h("span", {}, label, dangerous ? h("span", { class: "check-note" }, " (can delete)") : null, h("code", { class: "scope-code" }, scope)),
  );
}

/**
 * What the core said about the list, with each fix it suggests one click away.
 * @param {HTMLElement} root
 * @param {api.ScopeCheck|null} result
 * @param {import("../flow.js").Context} ctx
 * @param {api.Product} product
 * @param {() => void} onApply
 */
function renderCheck(root, result, ctx, product, onApply) {
  if (!result) {
    replace(root, h("p", { class: "check-problem" }, "Choose at least one permission."));
    return;
  }
  const findings = [...result.problems, ...result.warnings];
  const summary = result.ok
    ? h("p", { class: "check-ok" }, `${result.scopes.length} permission${result.scopes.length === 1 ? "" : "s"} for ${product.name}, ready to ask Zoho for.`)
    : h("p", { class: "check-problem" }, "Fix what is marked below before going on.");
  replace(
    root,
    summary,
    ...findings.map((finding) =>
      h(
        "div",
        { class: result.problems.includes(finding) ? "finding finding-problem" : "finding", "data-kind": finding.kind },
        h("p", { class: "finding-message" }, finding.item ? h("code", {}, finding.item) : null, finding.item ? ": " : null, finding.message),
        h("p", { class: "finding-fix" }, finding.fix),
        finding.suggestion
          ? h(
              "button",
              {
                type: "button",
                class: "button button-small",
                onclick: () => {
                  applySuggestion(ctx.state, finding.item, /** @type {string} */ (finding.suggestion));
                  onApply();
                },
              },
              `Use ${finding.suggestion}`,
            )
          : null,
      ),
    ),
  );
}

/**
 * Replaces a typed entry with the core's suggestion, wherever the entry came from.
 * @param {import("../flow.js").FlowState} state
 * @param {string} item
 * @param {string} suggestion
 */
function applySuggestion(state, item, suggestion) {
  const entries = state.customScopes.split(/[\s,]+/).map((s) => s.trim());
  state.customScopes = entries
    .map((entry) => (entry === item ? suggestion : entry))
    .filter(Boolean)
    .join(", ");
  const custom = /** @type {HTMLTextAreaElement|null} */ (document.getElementById("custom-scopes"));
  if (custom) custom.value = state.customScopes;
}
