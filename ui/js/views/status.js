// @ts-check
import { h } from "../dom.js";

/**
 * A saved connection's status as a badge a person reads at a glance, and the live
 * countdowns of the two statuses that end by themselves: a valid access token runs
 * out, and a lockout is lifted. The labels come from Rust; only the time left is
 * counted here, from the seconds left when the view was made.
 */

/** @param {number} seconds */
export function clock(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${s} s`;
}

/**
 * When the status ends, in this computer's milliseconds, or 0 when it does not.
 * @param {import("../api.js").StatusView} status
 */
export function deadlineOf(status) {
  if (status.kind !== "valid" && status.kind !== "locked_out") return 0;
  if (typeof status.secondsLeft === "number") return Date.now() + status.secondsLeft * 1000;
  const parsed = status.until ? Date.parse(status.until) : NaN;
  return Number.isFinite(parsed) ? parsed : 0;
}

/**
 * The badge's words `left` seconds before the status ends.
 * @param {import("../api.js").StatusView} status
 * @param {number} left
 */
function liveLabel(status, left) {
  if (status.kind === "valid") return left > 0 ? `Valid for ${clock(left)}` : "Expired";
  if (status.kind === "locked_out") return left > 0 ? `Locked out: ${clock(left)} left` : "Lockout over";
  return status.label;
}

/**
 * @param {import("../api.js").StatusView} status
 * @param {string} [id]
 * @returns {HTMLElement}
 */
export function statusBadge(status, id) {
  const badge = h("span", { class: `status-badge status-${status.kind}`, "data-status": status.kind, ...(id ? { id } : {}) }, status.label);
  const deadline = deadlineOf(status);
  if (deadline) {
    badge.dataset.deadline = String(deadline);
    badge.textContent = liveLabel(status, (deadline - Date.now()) / 1000);
    countdowns.set(badge, status);
  }
  return badge;
}

/** Badges counting down, with the status each one shows. */
const countdowns = new WeakMap();

/**
 * Updates every counting badge under `root` once a second; `onEnded` is called once
 * when one of them reaches zero (to ask Rust for the statuses again).
 * @param {HTMLElement} root
 * @param {() => void} [onEnded]
 * @returns {() => void} stops the timer
 */
export function startCountdowns(root, onEnded) {
  let ended = false;
  const tick = () => {
    for (const badge of root.querySelectorAll("[data-deadline]")) {
      const el = /** @type {HTMLElement} */ (badge);
      const status = countdowns.get(el);
      if (!status) continue;
      const left = (Number(el.dataset.deadline) - Date.now()) / 1000;
      const text = liveLabel(status, left);
      if (el.textContent !== text) el.textContent = text;
      if (left <= 0 && !ended) {
        ended = true;
        onEnded?.();
      }
    }
  };
  const timer = window.setInterval(tick, 1000);
  return () => window.clearInterval(timer);
}

/**
 * "3 min ago", "2 h ago", or the date, for the times a connection lists.
 * @param {string|null} iso
 * @param {string} [never]
 */
export function when(iso, never = "never") {
  if (!iso) return never;
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return iso;
  const seconds = (Date.now() - at) / 1000;
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(at).toLocaleString(undefined, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
}

/**
 * The last test in words: "worked, 3 min ago".
 * @param {import("../api.js").LastTest|null} test
 */
export function lastTestText(test) {
  if (!test) return "never";
  return `${test.ok ? "worked" : "failed"}, ${when(test.at)}`;
}
