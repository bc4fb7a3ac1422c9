// @ts-check
/**
 * Every call from the window into the app goes through this module, so the rest of the
 * UI works with plain typed functions and one error shape.
 */

/**
 * @typedef {"us"|"eu"|"in"|"au"|"jp"|"ca"|"sa"|"uk"|"cn"} DataCenterId
 *
 * @typedef {object} DataCenter
 * @property {DataCenterId} id        Zoho's `location` value.
 * @property {string} name            Plain-language name, e.g. "Europe".
 * @property {string} domain          The domain people see, e.g. ".eu".
 * @property {string} accountsServer  Where sign-in and tokens are handled.
 * @property {string} apiDomain       Where API calls go.
 * @property {string} apiConsole      Where apps are registered.
 *
 * @typedef {object} Practice
 * @property {boolean} on                 True when everything goes to a practice sandbox.
 * @property {"off"|"built_in"|"external"} source
 *   Off; the sandbox the switch started; or one named at start-up.
 * @property {string|null} sandboxUrl     The sandbox's address while on.
 * @property {string|null} note           A sentence worth showing, e.g. about the port.
 *
 * @typedef {object} AppInfo
 * @property {string} name
 * @property {string} version
 * @property {Practice} practice
 *
 * @typedef {object} Problem
 * @property {string} kind     Stable identifier to branch on.
 * @property {string} message  What went wrong, in plain words.
 * @property {string} hint     What to do next.
 */

/**
 * @template T
 * @param {string} command
 * @param {Record<string, unknown>} [args]
 * @returns {Promise<T>} rejects with a {@link Problem}
 */
async function call(command, args) {
  const tauri = /** @type {any} */ (window).__TAURI__;
  if (!tauri?.core?.invoke) {
    throw problem("no_backend", "This page must run inside the Zoho OAuth Assistant app.");
  }
  try {
    return await tauri.core.invoke(command, args);
  } catch (err) {
    if (err && typeof err === "object" && "kind" in err && "message" in err) {
      throw /** @type {Problem} */ (err);
    }
    throw problem("unexpected", String(err));
  }
}

/**
 * @param {string} kind
 * @param {string} message
 * @returns {Problem}
 */
function problem(kind, message) {
  return { kind, message, hint: "Close the assistant and open it again. If this keeps happening, note the message above for support." };
}

/** @returns {Promise<AppInfo>} */
export const appInfo = () => call("app_info");

/** @returns {Promise<DataCenter[]>} every data center, in display order */
export const listDataCenters = () => call("list_data_centers");

/** @returns {Promise<DataCenterId|null>} the data center chosen last time */
export const rememberedDataCenter = () => call("remembered_data_center");

/**
 * Remembers the choice for next time.
 * @param {DataCenterId} dc
 * @returns {Promise<void>}
 */
export const chooseDataCenter = (dc) => call("choose_data_center", { dc });

/**
 * Opens the data center's API Console in the system browser.
 * @param {DataCenterId} dc
 * @returns {Promise<void>}
 */
export const openApiConsole = (dc) => call("open_api_console", { dc });

/**
 * Switches practice mode on (starting the practice server on this computer) or off
 * (back to Zoho's real servers).
 * @param {boolean} on
 * @returns {Promise<Practice>} practice mode as it now is
 */
export const setPracticeMode = (on) => call("set_practice_mode", { on });
