// @ts-check
import * as api from "../api.js";
import { h, replace } from "../dom.js";
import { whileBusy } from "../views/busy.js";
import { ask } from "../views/confirm.js";
import { renderExport } from "../views/export.js";
import { clock, deadlineOf, lastTestText, startCountdowns, statusBadge, when } from "../views/status.js";

/** Problems after which the statuses Rust reports may have changed. */
const STATUS_PROBLEMS = new Set(["rate_limited", "refresh_token_revoked", "locked_out"]);

/**
 * One saved connection: its status with what to do about it, the actions (Refresh,
 * Test, Regenerate, Rename, Revoke, Delete), what another tool asks for with Copy (the
 * secrets masked until Reveal), and Export. Secrets reach this page only on Reveal;
 * Copy is done by Rust.
 * @type {import("../flow.js").Screen}
 */
export const connection = {
  title: "Saved connection",
  render(root, ctx) {
    const state = ctx.state;
    const id = state.selected;
    let stopped = false;
    /** @type {() => void} */
    let stopCountdowns = () => {};
    /** @type {number} */
    let lockTimer = 0;
    const flash = state.flash;
    state.flash = null;

    replace(root, h("h1", { id: "screen-title" }, "Saved connection"), h("p", { class: "progress", role: "status" }, "Reading the connection…"));

    /**
     * Draws the connection as Rust last described it; `said` is what the last action
     * did, in words.
     * @param {api.ConnectionView} c
     * @param {{text: string, tone: "ok"|"warn"}|null} said
     */
    const draw = (c, said) => {
      if (stopped) return;
      stopCountdowns();
      window.clearInterval(lockTimer);
      const result = h("div", { id: "conn-result", class: "conn-result", role: "status", "aria-live": "polite" });
      if (said) replace(result, h("p", { class: said.tone === "ok" ? "check-ok" : "check-problem", id: "conn-said" }, said.text));
      const confirmArea = h("div", { id: "conn-confirm", class: "conn-confirm", hidden: true });
      const renameArea = h("div", { id: "conn-rename-area", hidden: true });
      const revoked = c.status.kind === "revoked";
      const locked = c.status.kind === "locked_out";

      /** @param {string} idPart @param {string} label @param {string} [extra] */
      const button = (idPart, label, extra = "") =>
        /** @type {HTMLButtonElement} */ (h("button", { type: "button", class: `button conn-action ${extra}`.trim(), id: `conn-${idPart}` }, label));
      const refresh = button("refresh", "Refresh the access token");
      const test = button("test", "Test");
      const regenerate = button("regenerate", "Regenerate the refresh token", revoked ? "" : "button-quiet");
      const addPermissions = button("add-permissions", "Add permissions", "button-quiet");
      const rename = button("rename", "Rename", "button-quiet");
      const revoke = button("revoke", "Revoke", "button-quiet");
      const remove = button("delete", "Delete", "button-quiet button-danger-quiet");
      const group = [refresh, test, regenerate, addPermissions, rename, revoke, remove];
      refresh.disabled = revoked || locked;
      test.disabled = revoked || locked;
      revoke.disabled = revoked;

      const lockNote = h("p", { class: "field-note field-warn", id: "conn-lock-countdown", role: "timer", hidden: !locked });
      if (locked) {
        const deadline = deadlineOf(c.status);
        const tick = () => {
          const left = Math.round((deadline - Date.now()) / 1000);
          if (left > 0) {
            lockNote.textContent = `Refresh waits for Zoho's lockout to end: try again in ${clock(left)}.`;
            return;
          }
          window.clearInterval(lockTimer);
          lockNote.textContent = "The lockout is over. You can refresh again.";
          reload(null);
        };
        tick();
        lockTimer = window.setInterval(tick, 1000);
      }

      /** After a rejection, the statuses may have changed: show them as they now are. */
      const failed = (/** @type {unknown} */ err) => {
        ctx.problem(err);
        const kind = /** @type {api.Problem} */ (err)?.kind;
        if (STATUS_PROBLEMS.has(kind)) reload(null);
      };

      refresh.addEventListener("click", () => {
        ctx.problem(null);
        void whileBusy(refresh, "Refreshing…", group, async () => {
          try {
            let view = await api.refreshSaved(c.id, false);
            if (view.outcome === "confirm") {
              const yes = await ask(confirmArea, {
                title: "Refresh while the access token still works?",
                body: [view.message],
                yes: "Refresh anyway",
                no: "Keep the current one",
              });
              if (!yes) {
                draw(view.connection, { text: "Nothing was sent to Zoho: the current access token is kept.", tone: "ok" });
                return;
              }
              view = await api.refreshSaved(c.id, true);
            }
            draw(view.connection, { text: view.message, tone: "ok" });
          } catch (err) {
            failed(err);
          }
        });
      });

      test.addEventListener("click", () => {
        ctx.problem(null);
        void whileBusy(test, "Testing…", group, async () => {
          try {
            const view = await api.testSaved(c.id);
            draw(view.connection, { text: view.message, tone: view.ok ? "ok" : "warn" });
          } catch (err) {
            failed(err);
          }
        });
      });

      regenerate.addEventListener("click", () => {
        ctx.problem(null);
        ctx.go("regenerate");
      });

      addPermissions.addEventListener("click", () => {
        ctx.problem(null);
        ctx.go("enhance");
      });

      revoke.addEventListener("click", () => {
        ctx.problem(null);
        void whileBusy(revoke, "Revoking…", group, async () => {
          const yes = await ask(confirmArea, {
            title: `Revoke the refresh token of ${c.name}?`,
            body: [
              `Zoho stops accepting this refresh token, and every access token made with it. Any tool using ${c.name} stops working until it is given a new token.`,
              "The connection stays here, marked revoked, so you can regenerate it later.",
            ],
            yes: "Revoke at Zoho",
            no: "Keep it working",
            danger: true,
          });
          if (!yes) return;
          try {
            const view = await api.revokeSaved(c.id);
            draw(view, { text: "Revoked: Zoho no longer accepts this refresh token. Regenerate to get a new one.", tone: "ok" });
          } catch (err) {
            failed(err);
          }
        });
      });

      rename.addEventListener("click", () => {
        ctx.problem(null);
        renameForm(renameArea, c, group, (view) => draw(view, { text: `Renamed to ${view.name}.`, tone: "ok" }));
      });

      remove.addEventListener("click", () => {
        ctx.problem(null);
        void whileBusy(remove, "Deleting…", group, async () => {
          try {
            const gone = await deleteFlow(confirmArea, c);
            if (!gone) return;
            state.flash = { text: gone, tone: "ok" };
            state.selected = null;
            ctx.go("connections");
          } catch (err) {
            failed(err);
          }
        });
      });

      const copyStatus = h("p", { class: "field-note copy-status", id: "conn-copy-status", role: "status" });
      const exportArea = h("section", { class: "keep", id: "export-area", "aria-labelledby": "export-title" });
      const statusBox = h(
        "section",
        { class: `conn-status-box conn-status-${c.status.kind}`, id: "conn-status-box", "aria-label": "Status" },
        h("p", { class: "conn-status-line" }, statusBadge(c.status, "conn-status"), h("span", { class: "conn-status-detail", id: "conn-status-detail" }, c.status.detail)),
        revoked
          ? h(
              "p",
              { class: "conn-status-next" },
              h("button", { type: "button", class: "button", id: "conn-status-regenerate", onclick: () => ctx.go("regenerate") }, "Regenerate it now"),
            )
          : null,
        lockNote,
      );

      replace(
        root,
        h("p", { class: "back-link" }, h("button", { type: "button", class: "link-button", id: "conn-back", onclick: () => ctx.go("connections") }, "‹ All saved connections")),
        h("h1", { id: "screen-title" }, c.name, c.practice ? " " : null, c.practice ? h("span", { class: "badge badge-practice", id: "conn-practice" }, "practice") : null),
        flash ? h("p", { class: flash.tone === "ok" ? "notice" : "notice notice-warn", id: "conn-flash", role: "status" }, flash.text) : null,
        statusBox,
        h("div", { class: "conn-actions", role: "group", "aria-label": "What to do with this connection" }, ...group),
        confirmArea,
        renameArea,
        result,
        h(
          "dl",
          { class: "details-list summary-list conn-details", id: "conn-details" },
          h("dt", {}, "Product"),
          h("dd", { id: "conn-product" }, c.product),
          h("dt", {}, "Data center"),
          h("dd", { id: "conn-dc" }, c.dataCenter),
          h("dt", {}, "Organization"),
          h("dd", { id: "conn-org" }, c.organization ?? "not known"),
          h("dt", {}, "Zoho user"),
          h("dd", { id: "conn-user" }, c.zohoUser ?? "not known"),
          h("dt", {}, "Way in"),
          h("dd", { id: "conn-way" }, c.clientType === "server_based" ? "Consent page (server-based client)" : c.clientType === "non_browser" ? "Approved on another device (non-browser client)" : c.clientType === "org" ? "Organization consent (Zoho Payments)" : "Self Client code"),
          h("dt", {}, "Permissions"),
          h("dd", {}, h("code", { id: "conn-scopes", class: "scope-code" }, c.scopes.join(","))),
          h("dt", {}, "Created"),
          h("dd", { id: "conn-created" }, when(c.createdAt)),
          h("dt", {}, "Last refreshed"),
          h("dd", { id: "conn-refreshed" }, when(c.lastRefreshedAt)),
          h("dt", {}, "Last tested"),
          h("dd", { id: "conn-tested" }, lastTestText(c.lastTest), c.lastTest ? h("span", { class: "token-expiry" }, c.lastTest.message) : null),
        ),
        h(
          "section",
          { class: "keep", id: "conn-fields", "aria-labelledby": "conn-fields-title" },
          h("h2", { class: "section-title", id: "conn-fields-title" }, "What another tool asks for"),
          h("p", { class: "muted" }, "Copy puts one value on the clipboard; a secret is cleared from it again after a short while."),
          h(
            "dl",
            { class: "details-list field-list" },
            ...fieldRow(c, "client_id", "Client ID", c.clientId, copyStatus, ctx),
            ...fieldRow(c, "client_secret", "Client secret", null, copyStatus, ctx),
            ...fieldRow(c, "refresh_token", "Refresh token", null, copyStatus, ctx),
            ...fieldRow(c, "access_token", "Access token", null, copyStatus, ctx),
            ...fieldRow(c, "accounts_url", "Accounts URL", c.accountsUrl, copyStatus, ctx),
            ...fieldRow(c, "api_domain", "API domain", c.apiDomain, copyStatus, ctx),
            ...(c.organizationId ? fieldRow(c, "organization_id", "Organization ID", c.organizationId, copyStatus, ctx) : []),
          ),
          copyStatus,
        ),
        exportArea,
      );
      renderExport(exportArea, c.id, ctx.problem);
      stopCountdowns = startCountdowns(statusBox, () => {
        // The access token ran out: Rust now calls it expired ("refreshes when used").
        if (c.status.kind === "valid") reload(null);
      });
    };

    /**
     * Asks Rust for the connection again and draws it.
     * @param {{text: string, tone: "ok"|"warn"}|null} said
     */
    const reload = (said) => {
      api
        .vaultStatus()
        .then((vault) => {
          if (stopped) return;
          ctx.setVault(vault);
          const c = vault.connections.find((x) => x.id === id);
          if (!c) {
            if (vault.state === "locked") {
              ctx.go("unlock");
              return;
            }
            state.flash = { text: "That connection is no longer saved.", tone: "warn" };
            ctx.go("connections");
            return;
          }
          draw(c, said);
        })
        .catch(ctx.problem);
    };

    reload(null);
    return () => {
      stopped = true;
      stopCountdowns();
      window.clearInterval(lockTimer);
    };
  },
};

/**
 * A value another tool asks for, with Copy; a secret is dots until Reveal.
 * @param {api.ConnectionView} c
 * @param {api.SavedField} what
 * @param {string} label
 * @param {string|null} value  null for a secret
 * @param {HTMLElement} status
 * @param {import("../flow.js").Context} ctx
 * @returns {HTMLElement[]}
 */
function fieldRow(c, what, label, value, status, ctx) {
  const secret = value === null;
  const masked = "••••••••••••";
  const shown = h("code", { id: `field-${what}`, class: "token-value" }, secret ? masked : value);
  const lower = label.charAt(0).toLowerCase() + label.slice(1);
  const buttons = [];
  if (secret) {
    const reveal = /** @type {HTMLButtonElement} */ (
      h("button", { type: "button", class: "button button-quiet button-small", id: `field-${what}-reveal`, "aria-pressed": "false", "aria-label": `Reveal the ${lower}` }, "Reveal")
    );
    reveal.addEventListener("click", () => {
      if (reveal.getAttribute("aria-pressed") === "true") {
        shown.textContent = masked;
        reveal.textContent = "Reveal";
        reveal.setAttribute("aria-pressed", "false");
        reveal.setAttribute("aria-label", `Reveal the ${lower}`);
        return;
      }
      reveal.disabled = true;
      api
        .revealSaved(c.id, /** @type {api.SavedSecret} */ (what))
        .then((text) => {
          shown.textContent = text;
          reveal.textContent = "Hide";
          reveal.setAttribute("aria-pressed", "true");
          reveal.setAttribute("aria-label", `Hide the ${lower}`);
        })
        .catch(ctx.problem)
        .finally(() => (reveal.disabled = false));
    });
    buttons.push(reveal);
  }
  const copy = /** @type {HTMLButtonElement} */ (
    h("button", { type: "button", class: "button button-quiet button-small", id: `field-${what}-copy`, "aria-label": `Copy the ${lower}` }, "Copy")
  );
  copy.addEventListener("click", () => {
    status.textContent = "";
    window.clearTimeout(Number(status.dataset.timer ?? 0));
    copy.disabled = true;
    api
      .copySaved(c.id, what)
      .then((copied) => {
        status.textContent = `${label}: ${copied.message}`;
        if (secret) {
          const timer = window.setTimeout(() => {
            status.textContent = `The clipboard no longer holds the ${lower}.`;
          }, copied.clearAfterSeconds * 1000 + 500);
          status.dataset.timer = String(timer);
        }
      })
      .catch(ctx.problem)
      .finally(() => (copy.disabled = false));
  });
  buttons.push(copy);
  return [h("dt", {}, label), h("dd", {}, h("span", { class: "token-row" }, shown, ...buttons))];
}

/**
 * The new name typed in place, with what was wrong with it said under the field.
 * @param {HTMLElement} area
 * @param {api.ConnectionView} c
 * @param {HTMLButtonElement[]} group
 * @param {(view: api.ConnectionView) => void} done
 */
function renameForm(area, c, group, done) {
  const field = /** @type {HTMLInputElement} */ (h("input", { type: "text", id: "rename-name", class: "text-input", maxlength: "100", autocomplete: "off", "aria-describedby": "rename-note" }));
  field.value = c.name;
  const note = h("p", { class: "field-note", id: "rename-note", "aria-live": "polite" }, "Any name you will recognise; each saved connection has its own.");
  const save = /** @type {HTMLButtonElement} */ (h("button", { type: "submit", class: "button", id: "rename-save" }, "Save the name"));
  const cancel = h("button", { type: "button", class: "button button-quiet", id: "rename-cancel" }, "Cancel");
  const close = () => {
    replace(area);
    area.hidden = true;
    for (const b of group) b.disabled = b.dataset.wasDisabled === "true";
  };
  for (const b of group) {
    b.dataset.wasDisabled = String(b.disabled);
    b.disabled = true;
  }
  cancel.addEventListener("click", close);
  const form = h(
    "form",
    { id: "rename-form", class: "confirm", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "rename-name", class: "field-label" }, "New name"), field, note),
    h("div", { class: "actions actions-start" }, save, cancel),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = field.value.trim();
    if (name === c.name) {
      close();
      return;
    }
    save.disabled = true;
    save.textContent = "Saving…";
    api
      .renameSaved(c.id, name)
      .then((view) => {
        close();
        done(view);
      })
      .catch((/** @type {api.Problem} */ err) => {
        save.disabled = false;
        save.textContent = "Save the name";
        note.textContent = err?.hint ? `${err.message} ${err.hint}` : String(err?.message ?? err);
        note.className = "field-note field-bad";
        field.focus();
      });
  });
  replace(area, form);
  area.hidden = false;
  field.select();
  field.focus();
}

/**
 * Delete, offering to revoke first; when revoking fails, delete without revoking is
 * offered, saying that the token then keeps working at Zoho.
 * @param {HTMLElement} area
 * @param {api.ConnectionView} c
 * @returns {Promise<string|null>} what was done, or null when nothing was deleted
 */
async function deleteFlow(area, c) {
  if (c.status.kind === "revoked") {
    const yes = await ask(area, {
      title: `Delete ${c.name}?`,
      body: ["Its refresh token no longer works at Zoho, so nothing else changes. The connection is removed from this computer."],
      yes: "Delete",
      no: "Keep it",
      danger: true,
    });
    return yes ? (await api.deleteSaved(c.id, false)).message : null;
  }
  const yes = await ask(area, {
    title: `Delete ${c.name}?`,
    body: [
      "The assistant first revokes its refresh token at Zoho, so the token cannot be used by anyone again, then removes the connection from this computer.",
      `Any tool using ${c.name} stops working.`,
    ],
    yes: "Revoke and delete",
    no: "Keep it",
    danger: true,
  });
  if (!yes) return null;
  try {
    return (await api.deleteSaved(c.id, true)).message;
  } catch (err) {
    const problem = /** @type {api.Problem} */ (err);
    const anyway = await ask(area, {
      title: "The token could not be revoked",
      body: [
        `${problem.message} ${problem.hint}`,
        h("p", { class: "check-problem", id: "delete-unrevoked-warning" }, "If you delete without revoking, the refresh token keeps working at Zoho: anyone who has it can still use it, and it still counts towards Zoho's 20 refresh tokens. You can revoke it later only in Zoho's own settings."),
      ],
      yes: "Delete without revoking",
      no: "Keep it and try later",
      danger: true,
    });
    return anyway ? (await api.deleteSaved(c.id, false)).message : null;
  }
}
