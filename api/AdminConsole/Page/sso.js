// SSO and SCIM page (feature sso; SCIM also feature scim): the organisation's SAML identity provider (GET/PUT
// .../sso/saml) with Taskee's service-provider values to copy, its OIDC issuer and sign-in client (GET/PUT .../sso),
// and SCIM: the base URL and a token, which is an API key of the organisation with scope scim.
(() => {
  const { api } = Taskee;
  let ctx;
  let saml = null;
  let oidc = null;

  /** The settings, or null while none are configured (the API answers 404). */
  async function optional(path) {
    try { return await api.get(path); } catch (error) {
      if (error instanceof api.ApiError && error.status === 404) return null;
      throw error;
    }
  }

  const value = (id) => document.getElementById(id).value.trim();

  function showSaml() {
    document.getElementById('saml-idp-entity').value = saml ? saml.idpEntityId : '';
    document.getElementById('saml-idp-sso').value = saml ? saml.idpSsoUrl : '';
    document.getElementById('saml-certificate').value = saml ? saml.idpCertificates.join('\n') : '';
    document.getElementById('saml-default-role').value = saml ? saml.defaultRole : 'member';
    document.getElementById('saml-jit').checked = saml ? saml.jitProvisioning : true;
    document.getElementById('saml-idp-initiated').checked = saml ? saml.allowIdpInitiated : false;
    document.getElementById('saml-sp').hidden = !saml;
    document.getElementById('saml-sp-later').hidden = !!saml;
    if (!saml) return;
    document.getElementById('saml-sp-entity').textContent = saml.spEntityId;
    document.getElementById('saml-sp-acs').textContent = saml.acsUrl;
    document.getElementById('saml-sp-metadata').textContent = saml.metadataUrl;
  }

  function showOidc() {
    document.getElementById('oidc-issuer').value = oidc ? oidc.issuer : '';
    document.getElementById('oidc-audience').value = oidc ? oidc.audience : '';
    document.getElementById('oidc-client').value = oidc && oidc.clientId ? oidc.clientId : '';
    document.getElementById('oidc-secret').value = '';
    document.getElementById('oidc-secret').placeholder = oidc && oidc.clientSecretSet ? '••••••••' : '';
    document.getElementById('oidc-default-role').value = oidc ? oidc.defaultRole : 'member';
  }

  async function load(context) {
    ctx = context;
    document.getElementById('scim-once').hidden = true;
    const licensed = await Taskee.featureGate(ctx, 'sso', 'SSO', document.getElementById('sso-locked'));
    document.getElementById('sso-body').hidden = !licensed;
    if (!licensed) return;
    const writable = ctx.can('sso:write');
    for (const field of document.querySelectorAll('#saml-form input, #saml-form textarea, #oidc-form input')) field.readOnly = !writable;
    [saml, oidc] = await Promise.all([optional(api.path('organisations', ctx.orgId(), 'sso', 'saml')), optional(api.path('organisations', ctx.orgId(), 'sso'))]);
    showSaml();
    showOidc();
    const scim = await Taskee.featureGate(ctx, 'scim', 'SCIM', document.getElementById('scim-locked'));
    document.getElementById('scim-body').hidden = !scim;
    document.getElementById('scim-base').textContent = location.origin + '/scim/v2';
  }

  async function saveSaml() {
    const certificates = value('saml-certificate').split(/(?<=-----END CERTIFICATE-----)\s*/).map((c) => c.trim()).filter((c) => c);
    // Fields this page does not edit (attributes, group roles) go back as they were read.
    const body = Object.assign({}, saml || {}, {
      idpEntityId: value('saml-idp-entity'), idpSsoUrl: value('saml-idp-sso'), idpCertificates: certificates,
      defaultRole: value('saml-default-role'), jitProvisioning: document.getElementById('saml-jit').checked,
      allowIdpInitiated: document.getElementById('saml-idp-initiated').checked,
    });
    saml = (await api.send('PUT', api.path('organisations', ctx.orgId(), 'sso', 'saml'), body)).data;
    showSaml();
    api.say(Taskee.t('sso.samlSaved'));
  }

  async function saveOidc() {
    const body = Object.assign({}, oidc || {}, {
      issuer: value('oidc-issuer'), audience: value('oidc-audience'), clientId: value('oidc-client') || null,
      defaultRole: value('oidc-default-role') || 'member',
    });
    // The secret is write-only: left empty, the stored one stays.
    if (value('oidc-secret')) body.clientSecret = value('oidc-secret');
    oidc = (await api.send('PUT', api.path('organisations', ctx.orgId(), 'sso'), body)).data;
    showOidc();
    api.say(Taskee.t('sso.oidcSaved'));
  }

  async function createScimToken() {
    const { data } = await api.send('POST', api.path('organisations', ctx.orgId(), 'api-keys'),
      { name: 'SCIM', scopes: ['scim'], expiresAt: null }, { 'Idempotency-Key': crypto.randomUUID() });
    document.getElementById('scim-secret').textContent = data.key;
    document.getElementById('scim-once').hidden = false;
    api.say(Taskee.t('keys.created', 'SCIM'));
  }

  const submitting = (action) => async (event) => {
    if (event) event.preventDefault();
    try { await action(); } catch (error) { api.report(error); }
  };

  function init() {
    document.getElementById('saml-form').addEventListener('submit', submitting(saveSaml));
    document.getElementById('oidc-form').addEventListener('submit', submitting(saveOidc));
    document.getElementById('scim-token-create').addEventListener('click', submitting(createScimToken));
    for (const button of document.querySelectorAll('#page-sso .copy')) {
      button.addEventListener('click', submitting(async () => {
        await navigator.clipboard.writeText(document.getElementById(button.dataset.copy).textContent);
        api.say(Taskee.t('sso.copied'));
      }));
    }
  }

  Taskee.pages.sso = { permission: 'sso:read', orgScoped: true, feature: 'sso', init, load };
})();
