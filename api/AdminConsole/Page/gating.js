// Pages of plan features (custom roles, SSO & SCIM, webhooks) ask the opened organisation's entitlements whether it
// has the feature; without it the page says which plans include it instead of offering forms the API would refuse.
window.Taskee = window.Taskee || {};
(() => {
  /** True when the organisation has the feature; otherwise fills the notice with the plans that include it. */
  Taskee.featureGate = async (ctx, feature, label, notice) => {
    const entitlements = await Taskee.api.get(Taskee.api.path('organisations', ctx.orgId(), 'entitlements'));
    const enabled = !!(entitlements.features[feature] && entitlements.features[feature].enabled);
    notice.hidden = enabled;
    notice.textContent = enabled ? '' : Taskee.t('menu.locked', label, ctx.plansWith(feature));
    return enabled;
  };
})();
