// @ts-check
/**
 * The wizard's state and the order of its screens. Screens read and change `state`
 * through the context they are given, and move with `go` and `back`; this module is the
 * only one that knows which screen comes after which. Back keeps everything typed
 * except secrets, which never live here: the Client Secret and the grant code go to
 * Rust as soon as the person moves on, and the fields are emptied.
 */

/**
 * @typedef {"start"|"datacenter"|"permissions"|"register"|"grant"|"test"|"connected"|"save"|"unlock"
 *   |"connections"|"connection"|"regenerate"|"regenerated"|"settings"|"enhance"} ScreenId
 *   "save" (a passphrase for a new vault) belongs to "connected"; "unlock" comes before
 *   "start" when the saved connections are locked; neither is a numbered step. The saved
 *   connections' screens and the settings are not steps either; regenerating borrows the
 *   "grant" step and then goes to "regenerated" instead of the test
 *
 * @typedef {object} Regeneration
 * @property {string} id          the saved connection getting a new refresh token
 * @property {string} name
 * @property {string[]} scopes    the saved scopes, asked for again
 *
 * @typedef {object} Flash
 * @property {string} text        what the last action did, shown once on the next screen
 * @property {"ok"|"warn"} tone
 *
 * @typedef {object} FlowState
 * @property {import("./api.js").DataCenterId|null} dc
 * @property {string} product                  catalog id, e.g. "books"
 * @property {string[]} scopes                 picked from the catalog, in catalog order
 * @property {string} customScopes             typed by an expert, as typed
 * @property {boolean} fullAccess              the product's full access, chosen explicitly
 * @property {string} scopeString              the checked list to ask Zoho for
 * @property {import("./api.js").ClientType} way
 * @property {boolean} oneTimeTask            a Self Client asking for client credentials
 * @property {string} organizationId           the organization those are for, as typed
 * @property {string} clientId
 * @property {import("./api.js").ClientView|null} client   what Rust kept
 * @property {number} codeMinutes              the duration picked in the console
 * @property {import("./api.js").TokensView|null} tokens
 * @property {import("./api.js").TestView|null} test
 * @property {string} saveName                 the name typed to save the connection under
 * @property {string} keyringReason            why the keyring could not keep the vault's key
 * @property {import("./api.js").SavedView|null} saved   once saved
 * @property {string|null} selected            the saved connection being looked at
 * @property {string} filter                   what the saved connections are filtered by
 * @property {Regeneration|null} regenerating  set while the grant step regenerates a token
 * @property {Flash|null} flash
 *
 * @typedef {object} Screen
 * @property {string|((state: FlowState) => string)} title
 *   for the step list (may depend on the way in)
 * @property {(root: HTMLElement, ctx: Context) => void|(() => void)} render
 *   draws the screen; may return a function that stops its timers
 *
 * @typedef {object} Context
 * @property {FlowState} state
 * @property {import("./api.js").Practice} practice
 * @property {(id: ScreenId) => void} go
 * @property {(id: string) => void} openConnection  shows one saved connection
 * @property {() => void} cancelRegeneration  forgets the regeneration under way, back to the connection
 * @property {() => void} back
 * @property {() => void} next
 * @property {(problem: unknown) => void} problem   shows a problem, or clears it with null
 * @property {(on: boolean) => Promise<void>} setPractice  switches practice mode
 * @property {() => void} restart   forgets everything and returns to the start
 * @property {import("./api.js").VaultStatus|null} vault   the saved connections, as last seen
 * @property {(status: import("./api.js").VaultStatus) => void} setVault  after unlock or save
 */

/** The wizard's screens in order; the start screen is not a numbered step. */
export const ORDER = /** @type {const} */ (["start", "datacenter", "permissions", "register", "grant", "test", "connected"]);

/** @returns {FlowState} */
export function freshState() {
  return {
    dc: null,
    product: "books",
    scopes: [],
    customScopes: "",
    fullAccess: false,
    scopeString: "",
    way: "self_client",
    oneTimeTask: false,
    organizationId: "",
    clientId: "",
    client: null,
    codeMinutes: 3,
    tokens: null,
    test: null,
    saveName: "",
    keyringReason: "",
    saved: null,
    selected: null,
    filter: "",
    regenerating: null,
    flash: null,
  };
}

/** The screens outside the numbered wizard, reached from the header and the start. */
const OUTSIDE = new Set(["connections", "connection", "regenerate", "regenerated", "settings", "enhance"]);

/**
 * The numbered step a screen belongs to: the passphrase for a new vault is part of
 * saving on "connected", and unlocking comes before the start.
 * @param {ScreenId} id
 * @returns {typeof ORDER[number]}
 */
export function stepOf(id) {
  if (id === "save") return "connected";
  if (id === "unlock" || OUTSIDE.has(id)) return "start";
  return /** @type {typeof ORDER[number]} */ (id);
}

/**
 * The screen after `id`, or `id` itself at the end. A regenerated token goes to be
 * saved in place of the old one rather than to the test of a new connection.
 * @param {ScreenId} id
 * @param {FlowState} [state]
 * @returns {ScreenId}
 */
export function after(id, state) {
  if (state?.regenerating && id === "grant") return "regenerated";
  const i = ORDER.indexOf(stepOf(id));
  return ORDER[Math.min(i + 1, ORDER.length - 1)];
}

/**
 * The screen before `id`: Back from the test step returns to the grant step, since a
 * code cannot be exchanged twice; from "connected" there is no way back.
 * Back from regenerating returns to the connection.
 * @param {ScreenId} id
 * @param {FlowState} [state]
 * @returns {ScreenId}
 */
export function before(id, state) {
  if (state?.regenerating && (id === "grant" || id === "regenerated")) return "connection";
  if (id === "regenerate") return "connection";
  if (id === "enhance") return "connection";
  if (id === "connection") return "connections";
  if (id === "test") return "grant";
  if (id === "save") return "connected";
  const i = ORDER.indexOf(stepOf(id));
  return ORDER[Math.max(i - 1, 0)];
}

/**
 * The scope list to ask Zoho for: the picked scopes, the full-access scope when chosen,
 * and the expert's own, comma-joined (the core validates the result).
 * @param {FlowState} state
 * @param {import("./api.js").Product|undefined} product
 * @returns {string}
 */
export function requestedScopes(state, product) {
  const full = state.fullAccess ? product?.scopes.find((s) => /\.fullaccess\.all$/i.test(s.scope))?.scope : undefined;
  const custom = state.customScopes
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const all = [...(full ? [full] : []), ...state.scopes, ...custom];
  return [...new Set(all)].join(",");
}
