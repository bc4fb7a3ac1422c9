// @ts-check

/**
 * The practice-mode switch in the header: whether requests go to Zoho or to a practice
 * server on this computer, and a line saying what that means. The switch is a native
 * button with `role="switch"`, named by its label, so keyboards and screen readers
 * handle it like any other switch; the label text is clickable too.
 */

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * Wires the switch: `onToggle(on)` is called with the state the person asked for,
 * unless a change is already under way.
 * @param {(on: boolean) => void} onToggle
 */
export function bindPracticeSwitch(onToggle) {
  const button = byId("practice-switch");
  button.addEventListener("click", () => {
    if (button.getAttribute("aria-disabled") === "true") return;
    onToggle(button.getAttribute("aria-checked") !== "true");
  });
}

/**
 * Shows practice mode as it is, or (with `pending`) the change under way.
 * @param {import("../api.js").Practice} practice
 * @param {"starting"|"stopping"|null} [pending]
 */
export function renderMode(practice, pending = null) {
  const root = byId("mode");
  const button = byId("practice-switch");
  root.classList.toggle("mode-practice", practice.on);
  root.classList.toggle("mode-pending", pending !== null);
  button.setAttribute("aria-checked", String(practice.on));
  button.setAttribute("aria-disabled", String(pending !== null));
  button.setAttribute("aria-busy", String(pending !== null));
  byId("practice-state").textContent = pending ? `${pending}…` : practice.on ? "on" : "off";
  byId("mode-detail").textContent = pending ? pendingDetail(pending) : detail(practice);
}

/** @param {"starting"|"stopping"} pending */
function pendingDetail(pending) {
  return pending === "starting"
    ? "Starting the practice server on this computer…"
    : "Stopping the practice server; Zoho’s real servers take over.";
}

/** @param {import("../api.js").Practice} practice */
function detail(practice) {
  const note = practice.note ? ` ${practice.note}` : "";
  switch (practice.source) {
    case "built_in":
      return `Nothing reaches Zoho: the practice server on this computer answers at ${practice.sandboxUrl}.${note}`;
    case "external":
      return `Nothing reaches Zoho: the practice server at ${practice.sandboxUrl} answers.${note}`;
    default:
      return "Connections go to Zoho’s real servers. Switch on to rehearse safely on this computer.";
  }
}

/**
 * @param {Element} root
 * @param {import("../api.js").AppInfo} info
 */
export function renderVersion(root, info) {
  root.textContent = `${info.name} ${info.version}`;
}
