// @ts-check
import * as api from "./api.js";
import { h, replace } from "./dom.js";
import { after, before, freshState, ORDER, stepOf } from "./flow.js";
import { trackKeyboardNavigation } from "./focus.js";
import { connected } from "./screens/connected.js";
import { datacenter } from "./screens/datacenter.js";
import { grant } from "./screens/grant.js";
import { permissions } from "./screens/permissions.js";
import { register } from "./screens/register.js";
import { save } from "./screens/save.js";
import { start } from "./screens/start.js";
import { test } from "./screens/test.js";
import { unlock } from "./screens/unlock.js";
import { bindPracticeSwitch, renderMode, renderVersion } from "./views/mode.js";
import { renderProblem } from "./views/problem.js";

/** @type {Record<import("./flow.js").ScreenId, import("./flow.js").Screen>} */
const SCREENS = { start, datacenter, permissions, register, grant, test, connected, save, unlock };

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
  const root = byId("screen");
  root.dataset.screen = id;
  stopScreen = SCREENS[id].render(root, {
    state,
    practice,
    go: show,
    back: () => show(before(current)),
    next: () => show(after(current)),
    problem: showProblem,
    setPractice: switchPracticeMode,
    restart: () => {
      state = freshState();
      show("start");
    },
    vault,
    setVault: (status) => {
      vault = status;
    },
  });
  const title = root.querySelector("h1");
  if (title && id !== "start") {
    title.setAttribute("tabindex", "-1");
    title.focus();
  }
  window.scrollTo(0, 0);
}

/** The numbered steps, with the current one marked; hidden on the start screen. */
function renderSteps() {
  const nav = byId("steps");
  const step = stepOf(current);
  nav.hidden = step === "start";
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
  const keep = { dc: state.dc, product: state.product, scopes: state.scopes, customScopes: state.customScopes, fullAccess: state.fullAccess };
  state = { ...freshState(), ...keep };
  show(ORDER.indexOf(stepOf(current)) > ORDER.indexOf("permissions") ? "register" : current);
}

function renderPracticeRibbon() {
  const ribbon = byId("practice-ribbon");
  ribbon.hidden = !practice.on;
  ribbon.textContent = practice.on ? "Practice mode: sandbox accounts on this computer. Nothing you do here reaches Zoho." : "";
}

async function boot() {
  bindPracticeSwitch((on) => void switchPracticeMode(on));
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
  show(vault?.state === "locked" ? "unlock" : "start");
  // After the next paint: the figure is the time until the person can see and use it.
  requestAnimationFrame(() => requestAnimationFrame(() => void api.uiReady().catch(() => {})));
}

trackKeyboardNavigation();
document.addEventListener("DOMContentLoaded", () => void boot());
