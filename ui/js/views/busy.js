// @ts-check

/**
 * Runs one call for a button: the button says what is happening and every button of
 * the group waits until the call is over, so that one press is one call (two presses
 * of Refresh would otherwise be two refreshes against Zoho's limit).
 * @template T
 * @param {HTMLButtonElement} button
 * @param {string} progress   e.g. "Refreshing…"
 * @param {Iterable<HTMLButtonElement>} group  buttons that must not start another call meanwhile
 * @param {() => Promise<T>} work
 * @returns {Promise<T>}
 */
export async function whileBusy(button, progress, group, work) {
  const label = button.textContent ?? "";
  const held = [...group].filter((b) => !b.disabled);
  for (const b of held) b.disabled = true;
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  button.textContent = progress;
  try {
    return await work();
  } finally {
    button.textContent = label;
    button.removeAttribute("aria-busy");
    for (const b of held) b.disabled = false;
    button.disabled = false;
  }
}
