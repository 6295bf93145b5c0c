// SSO and SCIM page (feature sso; SCIM also feature scim): the organisation's SAML identity provider (GET/PUT
// .../sso/saml) with Taskee's service-provider values to copy, its OIDC issuer and sign-in client (GET/PUT .../sso),
// and SCIM: the base URL, a token (an API key of the organisation with scope scim) and the group roles (GET/PUT
// .../scim/group-roles). Group → role maps and claim names are edited here; SAML settings can be deleted.
(() => {
  const { api } = Taskee;
  let ctx;
  let saml = null;
  let oidc = null;
  const { format, parse } = Taskee.roleMap;

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
    document.getElementById('saml-email-attribute').value = (saml && saml.emailAttribute) || '';
    document.getElementById('saml-roles-attribute').value = (saml && saml.rolesAttribute) || '';
    document.getElementById('saml-group-roles').value = format(saml && saml.groupRoles);
    document.getElementById('saml-delete').hidden = !saml || !ctx.can('sso:write');
    document.getElementById('saml-delete-confirm').hidden = true;
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
    document.getElementById('oidc-org-claim').value = (oidc && oidc.orgClaim) || '';
    document.getElementById('oidc-roles-claim').value = oidc ? oidc.rolesClaim : '';
    document.getElementById('oidc-groups-claim').value = oidc ? oidc.groupsClaim : '';
    document.getElementById('oidc-group-roles').value = format(oidc && oidc.groupRoles);
  }

  async function load(context) {
    ctx = context;
    document.getElementById('scim-once').hidden = true;
    const licensed = await Taskee.featureGate(ctx, 'sso', 'SSO', document.getElementById('sso-locked'));
    document.getElementById('sso-body').hidden = !licensed;
    if (!licensed) return;
    const writable = ctx.can('sso:write');
    for (const field of document.querySelectorAll('#page-sso input, #page-sso textarea')) field.readOnly = !writable;
    [saml, oidc] = await Promise.all([optional(api.path('organisations', ctx.orgId(), 'sso', 'saml')), optional(api.path('organisations', ctx.orgId(), 'sso'))]);
    showSaml();
    showOidc();
    const scim = await Taskee.featureGate(ctx, 'scim', 'SCIM', document.getElementById('scim-locked'));
    document.getElementById('scim-body').hidden = !scim;
    document.getElementById('scim-base').textContent = location.origin + '/scim/v2';
    if (scim) document.getElementById('scim-group-roles').value = format(await api.get(api.path('organisations', ctx.orgId(), 'scim', 'group-roles')));
  }

  async function saveSaml() {
    const certificates = value('saml-certificate').split(/(?<=-----END CERTIFICATE-----)\s*/).map((c) => c.trim()).filter((c) => c);
    // Fields this page does not show go back as they were read; an empty attribute name is the API's default.
    const body = Object.assign({}, saml || {}, {
      emailAttribute: value('saml-email-attribute') || null, rolesAttribute: value('saml-roles-attribute') || null,
      groupRoles: parse(document.getElementById('saml-group-roles').value),
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
      defaultRole: value('oidc-default-role') || 'member', orgClaim: value('oidc-org-claim') || null,
      rolesClaim: value('oidc-roles-claim') || null, groupsClaim: value('oidc-groups-claim') || null,
      groupRoles: parse(document.getElementById('oidc-group-roles').value),
    });
    // The secret is write-only: left empty, the stored one stays.
    if (value('oidc-secret')) body.clientSecret = value('oidc-secret');
    oidc = (await api.send('PUT', api.path('organisations', ctx.orgId(), 'sso'), body)).data;
    showOidc();
    api.say(Taskee.t('sso.oidcSaved'));
  }

  async function deleteSaml() {
    await api.send('DELETE', api.path('organisations', ctx.orgId(), 'sso', 'saml'));
    saml = null;
    showSaml();
    api.say(Taskee.t('sso.samlDeleted'));
  }

  async function saveScimRoles() {
    const map = parse(document.getElementById('scim-group-roles').value);
    const { data } = await api.send('PUT', api.path('organisations', ctx.orgId(), 'scim', 'group-roles'), map);
    document.getElementById('scim-group-roles').value = format(data);
    api.say(Taskee.t('sso.scimRolesSaved'));
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
    document.getElementById('scim-roles-form').addEventListener('submit', submitting(saveScimRoles));
    // Deleting asks once more, by a second button that says what it ends.
    document.getElementById('saml-delete').addEventListener('click', () => {
      const confirm = document.getElementById('saml-delete-confirm');
      confirm.hidden = false;
      confirm.focus();
    });
    document.getElementById('saml-delete-confirm').addEventListener('click', submitting(deleteSaml));
    for (const button of document.querySelectorAll('#page-sso .copy')) {
      button.addEventListener('click', submitting(async () => {
        await navigator.clipboard.writeText(document.getElementById(button.dataset.copy).textContent);
        api.say(Taskee.t('sso.copied'));
      }));
    }
  }

  Taskee.pages.sso = { permission: 'sso:read', orgScoped: true, feature: 'sso', init, load };
})();
