// @ts-check
import * as api from "./api.js";
import { trackKeyboardNavigation } from "./focus.js";
import { renderDataCenterPicker } from "./views/datacenters.js";
import { renderDataCenterDetails } from "./views/details.js";
import { renderMode, renderVersion } from "./views/mode.js";
import { renderProblem } from "./views/problem.js";

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {unknown} err */
const showProblem = (err) => renderProblem(byId("problem"), /** @type {api.Problem} */ (err));

/** @param {api.DataCenter} dc */
function openConsole(dc) {
  renderProblem(byId("problem"), null);
  api.openApiConsole(dc.id).catch(showProblem);
}

/** @param {api.DataCenter} dc */
function select(dc) {
  renderProblem(byId("problem"), null);
  renderDataCenterDetails(byId("dc-details"), dc, openConsole);
  api.chooseDataCenter(dc.id).catch(showProblem);
}

async function start() {
  api
    .appInfo()
    .then((info) => {
      renderMode(byId("mode"), info);
      renderVersion(byId("version"), info);
    })
    .catch(showProblem);

  try {
    const [dataCenters, remembered] = await Promise.all([
      api.listDataCenters(),
      api.rememberedDataCenter().catch(() => null),
    ]);
    renderDataCenterPicker(byId("dc-list"), dataCenters, remembered, select);
    const chosen = dataCenters.find((dc) => dc.id === remembered);
    if (chosen) renderDataCenterDetails(byId("dc-details"), chosen, openConsole);
  } catch (err) {
    showProblem(err);
  }
}

trackKeyboardNavigation();
document.addEventListener("DOMContentLoaded", start);
