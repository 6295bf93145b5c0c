/*
 * taskee-flags.js: shows or hides elements by their data-feature attribute from a Taskee entitlements response
 * (GET /v1/organisations/{orgId}/entitlements: { features: { "<key>": { enabled, reason } }, ... }). No build step.
 *
 * The browser must never hold a Taskee API key: serve the entitlements from your own backend (which calls Taskee with
 * Taskee.Client) and point load() at that route.
 *
 *   <button data-feature="advanced_reports">Reports</button>     shown only when advanced_reports is enabled
 *   <p data-feature="!advanced_reports">Upgrade for reports</p>  shown only when it is not
 *   <script src="taskee-flags.js"></script>
 *   <script>TaskeeFlags.load("/api/entitlements");</script>
 *
 * Elements stay as the page renders them until an answer arrives; an unknown feature counts as disabled (the node's
 * own rule: not in the plan). Each decided element gets data-feature-reason with the node's reason.
 */
(function (global) {
  "use strict";

  function decision(entitlements, key) {
    var features = (entitlements && entitlements.features) || {};
    var f = features[key];
    return f ? { enabled: f.enabled === true, reason: f.reason || "" } : { enabled: false, reason: "not_in_plan" };
  }

  /** Applies the entitlements to every [data-feature] element under root (default: the document). */
  function apply(entitlements, root) {
    var scope = root || global.document;
    var elements = scope.querySelectorAll("[data-feature]");
    for (var i = 0; i < elements.length; i++) {
      var el = elements[i];
      var spec = (el.getAttribute("data-feature") || "").trim();
      var negated = spec.charAt(0) === "!";
      var key = negated ? spec.slice(1) : spec;
      if (!key) continue;
      var d = decision(entitlements, key);
      el.hidden = negated ? d.enabled : !d.enabled;
      el.setAttribute("data-feature-reason", d.reason);
    }
  }

  var etag = null;
  var last = null;

  /** Fetches entitlements from url (revalidating with the last ETag), applies them under root and resolves to them. */
  function load(url, options, root) {
    var init = Object.assign({ credentials: "same-origin" }, options || {});
    init.headers = Object.assign({ Accept: "application/json" }, init.headers || {});
    if (etag && last) init.headers["If-None-Match"] = etag;
    return global.fetch(url, init).then(function (response) {
      if (response.status === 304 && last) return last;
      if (!response.ok) throw new Error("entitlements: " + response.status);
      etag = response.headers.get("ETag");
      return response.json().then(function (body) { last = body; return body; });
    }).then(function (entitlements) {
      apply(entitlements, root);
      return entitlements;
    });
  }

  global.TaskeeFlags = { apply: apply, load: load, decision: decision };
})(typeof window !== "undefined" ? window : globalThis);
