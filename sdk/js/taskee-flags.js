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
 *
 * When the fetch fails (network error or a non-2xx answer) load() rejects and changes nothing: a page that never got
 * an answer keeps its rendered state, a page that had one keeps the last one applied. Render what must stay hidden
 * without an answer with the hidden attribute. A 304 to the If-None-Match of the last ETag re-applies the last body.
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

  // The last ETag and body per URL: a 304 from one route must never re-apply another route's body.
  var cache = {};

  /** Fetches entitlements from url (revalidating with the last ETag), applies them under root and resolves to them. */
  function load(url, options, root) {
    // no-store: the browser's HTTP cache would otherwise revalidate on its own and hand this script a 200 for a 304,
    // so the script keeps the one ETag and body per URL itself.
    var init = Object.assign({ credentials: "same-origin", cache: "no-store" }, options || {});
    var headers = new global.Headers(init.headers || {});
    if (!headers.has("Accept")) headers.set("Accept", "application/json");
    var previous = cache[url];
    if (previous && previous.etag) headers.set("If-None-Match", previous.etag);
    init.headers = headers;
    return global.fetch(url, init).then(function (response) {
      if (response.status === 304 && previous) return previous.body;
      if (!response.ok) throw new Error("entitlements: " + response.status);
      var etag = response.headers.get("ETag");
      return response.json().then(function (body) {
        cache[url] = { etag: etag, body: body };
        return body;
      });
    }).then(function (entitlements) {
      apply(entitlements, root);
      return entitlements;
    });
  }

  global.TaskeeFlags = { apply: apply, load: load, decision: decision };
})(typeof window !== "undefined" ? window : globalThis);
