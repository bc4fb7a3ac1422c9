// @ts-check
import * as api from "./api.js";
import { trackKeyboardNavigation } from "./focus.js";
import { renderDataCenterPicker } from "./views/datacenters.js";
import { renderDataCenterDetails } from "./views/details.js";
import { bindPracticeSwitch, renderMode, renderVersion } from "./views/mode.js";
import { renderProblem } from "./views/problem.js";

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {unknown} err */
const showProblem = (err) => renderProblem(byId("problem"), /** @type {api.Problem} */ (err));

/** Practice mode as the app last reported it. @type {api.Practice} */
let practice = { on: false, source: "off", sandboxUrl: null, note: null };

/** @param {api.DataCenter} dc */
function openConsole(dc) {
  renderProblem(byId("problem"), null);
  api.openApiConsole(dc.id).catch(showProblem);
}

/** @param {api.DataCenter} dc */
function showDetails(dc) {
  renderDataCenterDetails(byId("dc-details"), dc, practice.on, openConsole);
}

/** @param {api.DataCenter} dc */
function select(dc) {
  renderProblem(byId("problem"), null);
  showDetails(dc);
  api.chooseDataCenter(dc.id).catch(showProblem);
}

/** @returns {api.DataCenterId|null} the data center picked on the page right now */
function pickedOnPage() {
  const checked = /** @type {HTMLInputElement|null} */ (document.querySelector("#dc-list .dc-radio:checked"));
  return checked ? /** @type {api.DataCenterId} */ (checked.value) : null;
}

/**
 * Fills the picker with the addresses of the environment in force, keeping `selected`.
 * @param {api.DataCenterId|null} selected
 */
async function showDataCenters(selected) {
  const dataCenters = await api.listDataCenters();
  renderDataCenterPicker(byId("dc-list"), dataCenters, selected, select);
  const chosen = dataCenters.find((dc) => dc.id === selected);
  if (chosen) showDetails(chosen);
}

/** @param {boolean} on */
async function switchPracticeMode(on) {
  renderProblem(byId("problem"), null);
  renderMode(practice, on ? "starting" : "stopping");
  try {
    practice = await api.setPracticeMode(on);
  } catch (err) {
    showProblem(err);
  }
  renderMode(practice);
  await showDataCenters(pickedOnPage()).catch(showProblem);
}

async function start() {
  bindPracticeSwitch(switchPracticeMode);
  api
    .appInfo()
    .then((info) => {
      practice = info.practice;
      renderMode(practice);
      renderVersion(byId("version"), info);
    })
    .catch(showProblem);

  const remembered = await api.rememberedDataCenter().catch(() => null);
  await showDataCenters(remembered).catch(showProblem);
}

trackKeyboardNavigation();
document.addEventListener("DOMContentLoaded", start);
