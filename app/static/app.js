/* htmx settings (no inline script: this file is loaded after htmx, before DOMContentLoaded). */
(function () {
  "use strict";
  if (!window.htmx) { return; }
  htmx.config.allowEval = false;
  htmx.config.allowScriptTags = false;
  htmx.config.includeIndicatorStyles = false;
  htmx.config.selfRequestsOnly = true;
  htmx.config.historyCacheSize = 0;
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "409", swap: true, error: false },
    { code: "422", swap: true, error: false },
    { code: "[45]..", swap: false, error: true }
  ];
})();
