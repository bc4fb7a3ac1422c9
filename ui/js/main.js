// @ts-check
import * as api from "./api.js";
import { h, replace } from "./dom.js";
import { after, before, freshState, ORDER, stepOf } from "./flow.js";
import { trackKeyboardNavigation } from "./focus.js";
import { connected } from "./screens/connected.js";
import { connection } from "./screens/connection.js";
import { connections } from "./screens/connections.js";
import { datacenter } from "./screens/datacenter.js";
import { enhance } from "./screens/enhance.js";
import { grant } from "./screens/grant.js";
import { permissions } from "./screens/permissions.js";
import { regenerate } from "./screens/regenerate.js";
import { regenerated } from "./screens/regenerated.js";
import { register } from "./screens/register.js";
import { save } from "./screens/save.js";
import { settings } from "./screens/settings.js";
import { start } from "./screens/start.js";
import { test } from "./screens/test.js";
import { unlock } from "./screens/unlock.js";
import { bindPracticeSwitch, renderMode, renderVersion } from "./views/mode.js";
import { renderProblem } from "./views/problem.js";

/** @type {Record<import("./flow.js").ScreenId, import("./flow.js").Screen>} */
const SCREENS = {
  start,
  datacenter,
  permissions,
  register,
  grant,
  test,
  connected,
  save,
  unlock,
  connections,
  connection,
  regenerate,
  regenerated,
  enhance,
  settings,
};

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

let state = freshState();
/** @type {import("./flow.js").ScreenId} */
let current = "start";
/** @type {(() => void)|void} */
let stopScreen;
/** Practice mode as the app last reported it. @type {api.Practice} */
let practice = { on: false, source: "off", sandboxUrl: null, note: null };
/** The saved connections as last seen. @type {api.VaultStatus|null} */
let vault = null;

/** @param {unknown} err */
const showProblem = (err) => renderProblem(byId("problem"), /** @type {api.Problem|null} */ (err ?? null), () => current);

/** @param {import("./flow.js").ScreenId} id */
function show(id) {
  if (typeof stopScreen === "function") stopScreen();
  current = id;
  showProblem(null);
  renderSteps();
  renderNav();
  const root = byId("screen");
  root.dataset.screen = id;
  stopScreen = SCREENS[id].render(root, {
    state,
    practice,
    go: show,
    openConnection: (id) => {
      state.selected = id;
      show("connection");
    },
    cancelRegeneration,
    back: () => {
      if (state.regenerating && (current === "grant" || current === "regenerated")) cancelRegeneration();
      else show(before(current, state));
    },
    next: () => show(after(current, state)),
    problem: showProblem,
    setPractice: switchPracticeMode,
    restart: () => {
      state = freshState();
      show("start");
    },
    vault,
    setVault: (status) => {
      vault = status;
      renderNav();
    },
  });
  const title = root.querySelector("h1");
  if (title && id !== "start") {
    title.setAttribute("tabindex", "-1");
    title.focus();
  }
  window.scrollTo(0, 0);
}

/** Back to the connection being regenerated, with nothing changed. */
function cancelRegeneration() {
  cancelRegenerationTo("connection");
}

/**
 * The way to the saved connections and to the settings, in the header: there on every
 * screen once something is saved (or locked away), so a support person is never more
 * than one click from them.
 */
function renderNav() {
  const nav = byId("app-nav");
  const saved = vault?.state === "open" ? vault.connections.length : 0;
  const showSaved = saved > 0 || vault?.state === "locked";
  const savedButton = byId("nav-connections");
  savedButton.hidden = !showSaved;
  savedButton.textContent = saved > 0 ? `Saved connections (${saved})` : "Saved connections";
  nav.hidden = false;
  const here = current === "connections" || current === "connection" || current === "regenerate" || current === "regenerated" || current === "enhance" ? "connections" : current === "settings" ? "settings" : "";
  for (const [id, name] of [["nav-connections", "connections"], ["nav-settings", "settings"]]) {
    const el = byId(id);
    if (name === here) el.setAttribute("aria-current", "page");
    else el.removeAttribute("aria-current");
  }
}

function bindNav() {
  byId("nav-connections").addEventListener("click", () => {
    if (state.regenerating) return cancelRegenerationTo(vault?.state === "locked" ? "unlock" : "connections");
    show(vault?.state === "locked" ? "unlock" : "connections");
  });
  byId("nav-settings").addEventListener("click", () => {
    if (state.regenerating) return cancelRegenerationTo("settings");
    show("settings");
  });
}

/**
 * Leaving a regeneration for another screen abandons it, as Cancel does.
 * @param {import("./flow.js").ScreenId} id
 */
function cancelRegenerationTo(id) {
  state.regenerating = null;
  state.tokens = null;
  // The saved client was loaded into the connection being made; it goes again.
  api.resetConnection().catch(showProblem);
  show(id);
}

/** The numbered steps, with the current one marked; hidden on the start screen. */
function renderSteps() {
  const nav = byId("steps");
  const step = stepOf(current);
  // A regeneration borrows the grant step; the steps of a new connection would mislead.
  nav.hidden = step === "start" || state.regenerating !== null;
  const steps = ORDER.filter((id) => id !== "start");
  replace(
    nav,
    h(
      "ol",
      { class: "step-list" },
      ...steps.map((id, i) =>
        h(
          "li",
          {
            class: id === step ? "step step-current" : ORDER.indexOf(id) < ORDER.indexOf(step) ? "step step-done" : "step",
            "aria-current": id === step ? "step" : false,
          },
          h("span", { class: "step-number" }, String(i + 1)),
          h("span", { class: "step-name" }, stepTitle(SCREENS[id])),
        ),
      ),
    ),
  );
}

/** @param {import("./flow.js").Screen} screen */
function stepTitle(screen) {
  return typeof screen.title === "function" ? screen.title(state) : screen.title;
}

/** @param {boolean} on */
async function switchPracticeMode(on) {
  showProblem(null);
  renderMode(practice, on ? "starting" : "stopping");
  try {
    practice = await api.setPracticeMode(on);
  } catch (err) {
    showProblem(err);
  }
  renderMode(practice);
  renderPracticeRibbon();
  // A client or token of one side means nothing to the other: the connection starts over.
  await api.resetConnection().catch(showProblem);
  const regenerating = state.regenerating !== null;
  const keep = {
    dc: state.dc,
    product: state.product,
    scopes: state.scopes,
    customScopes: state.customScopes,
    fullAccess: state.fullAccess,
    selected: state.selected,
    filter: state.filter,
  };
  state = { ...freshState(), ...keep };
  // A regeneration loaded its client for one side: it starts again from the connection.
  if (regenerating) show("connection");
  else show(ORDER.indexOf(stepOf(current)) > ORDER.indexOf("permissions") ? "register" : current);
}

function renderPracticeRibbon() {
  const ribbon = byId("practice-ribbon");
  ribbon.hidden = !practice.on;
  ribbon.textContent = practice.on ? "Practice mode: sandbox accounts on this computer. Nothing you do here reaches Zoho." : "";
}

async function boot() {
  bindPracticeSwitch((on) => void switchPracticeMode(on));
  bindNav();
  try {
    const info = await api.appInfo();
    practice = info.practice;
    renderMode(practice);
    renderVersion(byId("version"), info);
  } catch (err) {
    showProblem(err);
  }
  renderPracticeRibbon();
  // A keyring vault opens here (the keyring may take a few seconds to answer); a
  // passphrase vault is unlocked before anything else.
  replace(byId("screen"), h("p", { class: "progress", id: "vault-opening", role: "status" }, "Opening your saved connections…"));
  try {
    vault = await api.vaultStatus();
  } catch (err) {
    showProblem(err);
  }
  renderNav();
  show(vault?.state === "locked" ? "unlock" : "start");
  // After the next paint: the figure is the time until the person can see and use it.
  requestAnimationFrame(() => requestAnimationFrame(() => void api.uiReady().catch(() => {})));
}

trackKeyboardNavigation();
document.addEventListener("DOMContentLoaded", () => void boot());
