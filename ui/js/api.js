// @ts-check
/**
 * Every call from the window into the app goes through this module, so the rest of the
 * UI works with plain typed functions and one error shape.
 */

/**
 * @typedef {"us"|"eu"|"in"|"au"|"jp"|"ca"|"sa"|"uk"|"cn"|"ae"} DataCenterId
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
 *
 * @typedef {object} Scope
 * @property {string} scope       Exactly as sent to Zoho, e.g. "ZohoBooks.invoices.READ".
 * @property {string} label       What it allows, e.g. "See invoices".
 * @property {string} group       The heading it is listed under.
 * @property {string} operation
 * @property {boolean} dangerous  Deletes or grants everything: an explicit choice only.
 * @property {boolean} newer
 *
 * @typedef {object} Preset
 * @property {string} id
 * @property {string} name
 * @property {string} description
 * @property {string[]} scopes
 * @property {boolean} dangerous
 * @property {boolean} full_access
 *
 * @typedef {object} ConnectionTest
 * @property {string} method
 * @property {string} path
 * @property {string} scope   The scope the test call needs.
 * @property {string} shows   What the person sees when it works.
 *
 * @typedef {object} Product
 * @property {string} id
 * @property {string} name
 * @property {string} description
 * @property {string} service
 * @property {ConnectionTest|null} connection_test
 * @property {Scope[]} scopes
 * @property {Preset[]} presets
 *
 * @typedef {object} Finding
 * @property {string} item        The entry as typed.
 * @property {string} kind
 * @property {string} message
 * @property {string} fix
 * @property {string|null} suggestion  A replacement the UI can offer to apply.
 *
 * @typedef {object} ScopeCheck
 * @property {boolean} ok
 * @property {string|null} scopeString
 * @property {string[]} scopes
 * @property {Finding[]} problems
 * @property {Finding[]} warnings
 *
 * @typedef {"self_client"|"server_based"|"non_browser"|"org"} ClientType
 *   "org": Zoho Payments' organization-level client, approved on a consent page
 *
 * @typedef {object} ClientFieldCheck
 * @property {string|null} clientId      Why the Client ID cannot be right, or null.
 * @property {string|null} clientSecret  Why the Client Secret cannot be right, or null.
 *
 * @typedef {object} ClientView
 * @property {ClientType} clientType
 * @property {string} clientId
 * @property {DataCenterId} dc
 * @property {string} secretHint
 *
 * @typedef {object} TokensView
 * @property {DataCenterId} dc
 * @property {string|null} scope
 * @property {string} apiDomain
 * @property {string} accessExpiresAt
 * @property {number} accessSecondsLeft
 * @property {string|null} refreshTokenMasked
 * @property {string} accessTokenMasked
 * @property {string|null} paymentsAccountId  the Zoho Payments account of an organization-level grant
 *
 * @typedef {object} Organization
 * @property {string} id
 * @property {string} name
 * @property {boolean} is_default   Zoho's default organization for this user
 * @property {string|null} currency
 * @property {string|null} email
 * @property {string|null} contact_name
 * @property {string|null} time_zone
 *
 * @typedef {object} TestView
 * @property {string} product          catalog id of the product tested
 * @property {boolean} listed          false for a product without an organizations call
 * @property {Organization[]} organizations
 * @property {string|null} chosen
 * @property {string|null} user        who is connected, e.g. "Jane Doe (jane@firm.com)"
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

/** @returns {Promise<void>} tells the app the first screen is on view (for start-up figures) */
export const uiReady = () => call("ui_ready");

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

/** @returns {Promise<{products: Product[]}>} every product and its scopes */
export const scopeCatalog = () => call("scope_catalog");

/**
 * @param {string} input  scopes separated by commas or spaces
 * @returns {Promise<ScopeCheck>}
 */
export const checkScopes = (input) => call("check_scopes", { input });

/**
 * @param {string} address  an address the person signs in at, or a pasted URL
 * @returns {Promise<DataCenterId|null>}
 */
export const recognizeAddress = (address) => call("recognize_address", { address });

/**
 * Format checks of the two fields as typed; nothing is kept.
 * @param {string} clientId
 * @param {string} clientSecret
 * @returns {Promise<ClientFieldCheck>}
 */
export const checkClientFields = (clientId, clientSecret) => call("check_client_fields", { clientId, clientSecret });

/**
 * Hands the client to Rust, which keeps the secret from now on.
 * @param {DataCenterId} dc
 * @param {ClientType} clientType
 * @param {string} clientId
 * @param {string} clientSecret
 * @returns {Promise<ClientView>}
 */
export const setClient = (dc, clientType, clientId, clientSecret) =>
  call("set_client", { dc, clientType, clientId, clientSecret });

/**
 * @param {string} code  the code generated in the API Console
 * @returns {Promise<TokensView>}
 */
export const exchangeSelfClientCode = (code) => call("exchange_self_client_code", { code });

/**
 * Asks Zoho for a one-time server task's access token (client credentials) for one
 * organization, with the Self Client registered; no refresh token comes back.
 * @param {string} product         catalog id, e.g. "books"
 * @param {string} organizationId  as typed
 * @param {string[]} scopes
 * @returns {Promise<TokensView>}
 */
export const requestClientCredentials = (product, organizationId, scopes) =>
  call("request_client_credentials", { product, organizationId, scopes });

/**
 * Tests the new connection with the product's own call and the user info.
 * @param {string} product  catalog id, e.g. "books"
 * @returns {Promise<TestView>}
 */
export const testConnection = (product) => call("test_connection", { product });

/**
 * @param {string} organizationId
 * @returns {Promise<TestView>}
 */
export const chooseOrganization = (organizationId) => call("choose_organization", { organizationId });

/** @returns {Promise<TokensView|null>} */
export const connectionTokens = () => call("connection_tokens");

/** @returns {Promise<void>} forgets the connection being made */
export const resetConnection = () => call("reset_connection");

/**
 * @typedef {object} ConsentStarted
 * @property {string} authorizeUrl   the page to open by hand if the browser did not come up
 * @property {string} redirectUri
 * @property {number} timeoutSeconds
 * @property {boolean} browserOpened
 *
 * @typedef {{stage: "waiting", elapsed_seconds: number, timeout_seconds: number}
 *   | {stage: "exchanging", dc: DataCenterId}
 *   | {stage: "connected", tokens: TokensView}
 *   | {stage: "failed", problem: Problem}} ConsentEvent
 */

/** @returns {Promise<string>} the redirect URI to register for a server-based client */
export const redirectUri = () => call("redirect_uri");

/**
 * Opens Zoho's consent page in the browser and waits for it in the background; progress
 * and the outcome arrive through {@link onConsentEvent}.
 * @param {string[]} scopes
 * @returns {Promise<ConsentStarted>}
 */
export const startConsent = (scopes) => call("start_consent", { scopes });

/** @returns {Promise<void>} stops waiting for the consent page */
export const cancelConsent = () => call("cancel_consent");

/**
 * @param {(event: ConsentEvent) => void} handler
 * @returns {Promise<() => void>} stops listening
 */
export async function onConsentEvent(handler) {
  const tauri = /** @type {any} */ (window).__TAURI__;
  if (!tauri?.event?.listen) throw problem("no_backend", "This page must run inside the Zoho OAuth Assistant app.");
  return tauri.event.listen("consent", (/** @type {{payload: ConsentEvent}} */ e) => handler(e.payload));
}

/**
 * @typedef {object} DeviceStarted
 * @property {string} userCode          the code to type at Zoho's page
 * @property {string} verificationUrl   Zoho's page, to open or read out
 * @property {number} expiresInSeconds
 * @property {number} intervalSeconds   how often the assistant asks Zoho
 *
 * @typedef {{stage: "waiting", elapsed_seconds: number, expires_in_seconds: number}
 *   | {stage: "slowed_down", interval_seconds: number}
 *   | {stage: "moved", dc: DataCenterId, dc_name: string}
 *   | {stage: "connected", tokens: TokensView}
 *   | {stage: "failed", problem: Problem}} DeviceEvent
 */

/**
 * Asks Zoho for a code to approve on another device and waits for the approval in the
 * background; progress and the outcome arrive through {@link onDeviceEvent}.
 * @param {string[]} scopes
 * @returns {Promise<DeviceStarted>}
 */
export const startDeviceFlow = (scopes) => call("start_device_flow", { scopes });

/** @returns {Promise<void>} stops waiting for the approval */
export const cancelDeviceFlow = () => call("cancel_device_flow");

/** @returns {Promise<void>} opens Zoho's page for the code waiting, in the browser */
export const openDevicePage = () => call("open_device_page");

/**
 * @param {(event: DeviceEvent) => void} handler
 * @returns {Promise<() => void>} stops listening
 */
export async function onDeviceEvent(handler) {
  const tauri = /** @type {any} */ (window).__TAURI__;
  if (!tauri?.event?.listen) throw problem("no_backend", "This page must run inside the Zoho OAuth Assistant app.");
  return tauri.event.listen("device", (/** @type {{payload: DeviceEvent}} */ e) => handler(e.payload));
}

/**
 * What the app knows of the attempt, with every secret left out, for support.
 * @param {string} screen  the screen the person is on
 * @param {Problem|null} problem  the problem shown, if any
 * @returns {Promise<string>}
 */
export const supportReport = (screen, problem) => call("support_report", { screen, problem });

/**
 * @typedef {"absent"|"locked"|"open"|"unavailable"} VaultKind
 *   no vault yet; a passphrase vault not unlocked yet; open; there but not openable now
 *
 * @typedef {object} SavedConnection
 * @property {string} id
 * @property {string} name
 * @property {string} product            e.g. "Zoho Books"
 * @property {string} dataCenter         e.g. "United States (.com)"
 * @property {string|null} organization  e.g. "Riverside Bakery Inc. (10234721)"
 * @property {boolean} practice          made in practice mode
 *
 * @typedef {"valid"|"expired"|"revoked"|"locked_out"} StatusKind
 *   the access token can be used now; it will be refreshed when used; only Regenerate
 *   (or Delete) helps; Zoho refused a refresh as too frequent, wait until `until`
 *
 * @typedef {object} StatusView
 * @property {StatusKind} kind
 * @property {string} label              short, for a badge: "Valid for 52 min", "Locked out"
 * @property {string} detail             one plain sentence: why, and what to do next
 * @property {string|null} until         RFC 3339: the access token's expiry (valid) or when
 *   to try again (locked_out)
 * @property {number|null} secondsLeft   seconds until `until` when the view was made
 *
 * @typedef {object} LastTest
 * @property {string} at        RFC 3339
 * @property {boolean} ok
 * @property {string} message
 *
 * @typedef {object} ConnectionView
 * @property {string} id
 * @property {string} name
 * @property {string} product              e.g. "Zoho Books"
 * @property {string} dataCenter           e.g. "United States (.com)"
 * @property {DataCenterId} dataCenterId
 * @property {string|null} organization    e.g. "Riverside Bakery Inc. (10234721)"
 * @property {string|null} organizationId
 * @property {string|null} zohoUser        e.g. "accountant@example.com"
 * @property {boolean} practice            made in practice mode
 * @property {ClientType} clientType
 * @property {string} clientId             not secret
 * @property {string[]} scopes
 * @property {string} accountsUrl          where tokens are refreshed and revoked
 * @property {string} apiDomain            where API calls go
 * @property {string} createdAt            RFC 3339
 * @property {string|null} lastRefreshedAt RFC 3339
 * @property {LastTest|null} lastTest
 * @property {StatusView} status
 *
 * @typedef {"keyring"|"passphrase"|"keyring_and_passphrase"} ProtectionKind
 *
 * @typedef {object} VaultStatus
 * @property {VaultKind} state
 * @property {string|null} protection    in words, e.g. "Protected by your passphrase"
 * @property {ProtectionKind|null} [protectionKind]
 * @property {string|null} [vaultFile]   the vault file's full path, once there is one
 * @property {ConnectionView[]} connections  only while open
 * @property {Problem|null} notice       a damaged file kept aside, a keyring that did not answer
 *
 * @typedef {object} Budget
 * @property {number} used    live refresh tokens known for this Zoho user and client
 * @property {number} limit   Zoho's limit (20)
 * @property {"ok"|"near"|"full"} level
 * @property {string} message what it means, in plain words
 *
 * @typedef {object} SavedView
 * @property {string} id
 * @property {string} name
 * @property {string} protection
 * @property {string} vaultFile
 * @property {Budget} budget
 *
 * @typedef {object} SavePreview
 * @property {string} suggestedName
 * @property {VaultKind} vault
 * @property {string|null} protection
 * @property {Budget|null} budget     once the vault is open
 * @property {SavedView|null} saved   when this connection is already saved
 * @property {Problem|null} notice
 *
 * @typedef {{outcome: "saved", saved: SavedView} | {outcome: "needs_passphrase", reason: string}} SaveOutcome
 *
 * @typedef {object} PassphraseCheck
 * @property {boolean} acceptable
 * @property {"too_short"|"fair"|"good"|"strong"} strength
 * @property {string} message
 * @property {boolean} matches
 *
 * @typedef {object} Copied
 * @property {number} clearAfterSeconds
 * @property {string} message   e.g. "Copied. The clipboard is cleared in 1 minute."
 *
 * @typedef {object} Exported
 * @property {string} path
 * @property {string} message
 *
 * @typedef {"refresh"|"access"} TokenKind
 * @typedef {"dot_env"|"json"|"curl"} ExportFormat
 */

/** @returns {Promise<VaultStatus>} the saved connections' vault, opened by the keyring when it can */
export const vaultStatus = () => call("vault_status");

/**
 * @param {string} passphrase
 * @returns {Promise<VaultStatus>} rejects with kind "wrong_passphrase" (nothing is changed)
 */
export const unlockVault = (passphrase) => call("unlock_vault", { passphrase });

/**
 * How strong a new passphrase is, and whether it was typed the same twice.
 * @param {string} passphrase
 * @param {string} confirmation
 * @returns {Promise<PassphraseCheck>}
 */
export const checkPassphrase = (passphrase, confirmation) => call("check_passphrase", { passphrase, confirmation });

/** @returns {Promise<SavePreview>} the suggested name, the vault and the budget for the new connection */
export const savePreview = () => call("save_preview");

/**
 * Saves the new connection; creates the vault on the first save (keyring, or the
 * passphrase when given).
 * @param {string} name
 * @param {string[]} scopes  the scopes asked for
 * @param {string|null} passphrase
 * @param {string|null} confirmation
 * @returns {Promise<SaveOutcome>}
 */
export const saveConnection = (name, scopes, passphrase, confirmation) =>
  call("save_connection", { name, scopes, passphrase, confirmation });

/**
 * The token itself, only because the person pressed Reveal.
 * @param {TokenKind} which
 * @returns {Promise<string>}
 */
export const revealToken = (which) => call("reveal_token", { which });

/**
 * Rust puts the token on the clipboard and clears it later; the window never gets it.
 * @param {TokenKind} which
 * @returns {Promise<Copied>}
 */
export const copyToken = (which) => call("copy_token", { which });

/**
 * Asks where to write a saved connection, then writes it there.
 * @param {string} id
 * @param {ExportFormat} format
 * @returns {Promise<Exported|null>} null when the person cancelled
 */
export const exportConnection = (id, format) => call("export_connection", { id, format });

/**
 * @typedef {object} RefreshView
 * @property {"refreshed"|"reused"|"confirm"} outcome  "confirm": nothing was sent; the
 *   access token is still valid and `message` says what a refresh would cost
 * @property {string} message
 * @property {ConnectionView} connection
 *
 * @typedef {object} TestSavedView
 * @property {boolean} ok
 * @property {string} message
 * @property {ConnectionView} connection
 *
 * @typedef {object} RegenerationPreview
 * @property {ConnectionView} connection
 * @property {ClientType} way
 * @property {Budget} budget          counting the token about to be minted
 * @property {string|null} breaks     the saved connection the next token would break, in a sentence
 *
 * @typedef {object} RegenerationStarted
 * @property {ClientView} client
 * @property {string[]} scopes
 * @property {string} scopeString
 * @property {DataCenterId} dc
 *
 * @typedef {object} RegenerationDone
 * @property {ConnectionView} connection
 * @property {string} message
 * @property {boolean} oldRevoked
 *
 * @typedef {"client_secret"|"refresh_token"|"access_token"} SavedSecret
 * @typedef {SavedSecret|"client_id"|"accounts_url"|"api_domain"|"organization_id"} SavedField
 */

/**
 * A new access token for a saved connection, only when it is due: a still-valid one
 * answers "confirm" unless `force`.
 * @param {string} id
 * @param {boolean} force
 * @returns {Promise<RefreshView>} rejects with "rate_limited", "refresh_token_revoked",
 *   "locked_out", "practice_off" or a network kind; statuses may have changed then
 */
export const refreshSaved = (id, force) => call("refresh_saved", { id, force });

/**
 * The product's test call with a saved connection; the result and time are saved.
 * @param {string} id
 * @returns {Promise<TestSavedView>} a failed test is `ok: false`, not a rejection
 */
export const testSaved = (id) => call("test_saved", { id });

/**
 * Revokes the refresh token at Zoho; the connection stays, marked revoked.
 * @param {string} id
 * @returns {Promise<ConnectionView>}
 */
export const revokeSaved = (id) => call("revoke_saved", { id });

/**
 * @param {string} id
 * @param {string} name
 * @returns {Promise<ConnectionView>} rejects with "name_taken" or "invalid_name"
 */
export const renameSaved = (id, name) => call("rename_saved", { id, name });

/**
 * @param {string} id
 * @param {boolean} revoke  revoke at Zoho first; when that fails nothing is deleted
 * @returns {Promise<{message: string}>}
 */
export const deleteSaved = (id, revoke) => call("delete_saved", { id, revoke });

/**
 * What regenerating would cost against Zoho's 20 refresh tokens, before anything starts.
 * @param {string} id
 * @returns {Promise<RegenerationPreview>}
 */
export const regenerationPreview = (id) => call("regeneration_preview", { id });

/**
 * Loads the saved client into the connection being made, so the grant step works as
 * for a new connection.
 * @param {string} id
 * @returns {Promise<RegenerationStarted>}
 */
export const beginRegeneration = (id) => call("begin_regeneration", { id });

/**
 * Puts the new tokens from the grant step in place of the old ones.
 * @param {string} id
 * @param {boolean} revokeOld  also revoke the old refresh token at Zoho
 * @returns {Promise<RegenerationDone>}
 */
export const finishRegeneration = (id, revokeOld) => call("finish_regeneration", { id, revokeOld });

/**
 * A saved secret itself, only because the person pressed Reveal.
 * @param {string} id
 * @param {SavedSecret} what
 * @returns {Promise<string>}
 */
export const revealSaved = (id, what) => call("reveal_saved", { id, what });

/**
 * Rust puts the value on the clipboard (and clears a secret again later).
 * @param {string} id
 * @param {SavedField} what
 * @returns {Promise<Copied>}
 */
export const copySaved = (id, what) => call("copy_saved", { id, what });

/**
 * @param {"keyring"|"passphrase"} to
 * @param {string|null} passphrase    only for "passphrase"
 * @param {string|null} confirmation  only for "passphrase"
 * @returns {Promise<VaultStatus>} rejects with "passphrases_differ",
 *   "passphrase_too_short" or a keyring problem (nothing is changed then)
 */
export const changeProtection = (to, passphrase, confirmation) =>
  call("change_protection", { to, passphrase, confirmation });

/**
 * @typedef {object} EnhancePreview
 * @property {ConnectionView} connection
 * @property {boolean} possible     a consent-page connection whose refresh token works
 * @property {string|null} reason   why not, in plain words
 *
 * @typedef {object} EnhanceStarted
 * @property {string[]} adding       the permissions being added
 * @property {number} timeoutSeconds
 * @property {boolean} browserOpened
 *
 * @typedef {{stage: "waiting", elapsed_seconds: number, timeout_seconds: number}
 *   | {stage: "added", connection: ConnectionView, message: string}
 *   | {stage: "failed", problem: Problem}} EnhanceEvent
 */

/**
 * Whether a saved connection can gain permissions (not a Self Client's).
 * @param {string} id
 * @returns {Promise<EnhancePreview>}
 */
export const enhancePreview = (id) => call("enhance_preview", { id });

/**
 * Asks Zoho to add `scopes` to the connection's refresh token: opens Zoho's page in the
 * browser and waits in the background; progress arrives through {@link onEnhanceEvent}.
 * @param {string} id
 * @param {string[]} scopes   those the connection already has are left out
 * @returns {Promise<EnhanceStarted>}
 */
export const startEnhance = (id, scopes) => call("start_enhance", { id, scopes });

/** @returns {Promise<void>} stops waiting for Zoho's page; nothing is added */
export const cancelEnhance = () => call("cancel_enhance");

/** @returns {Promise<void>} opens Zoho's page again (its address stays in the app) */
export const reopenEnhancePage = () => call("reopen_enhance_page");

/**
 * @param {(event: EnhanceEvent) => void} handler
 * @returns {Promise<() => void>} stops listening
 */
export async function onEnhanceEvent(handler) {
  const tauri = /** @type {any} */ (window).__TAURI__;
  if (!tauri?.event?.listen) throw problem("no_backend", "This page must run inside the Zoho OAuth Assistant app.");
  return tauri.event.listen("enhance", (/** @type {{payload: EnhanceEvent}} */ e) => handler(e.payload));
}
