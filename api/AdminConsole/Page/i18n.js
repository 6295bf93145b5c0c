// Console texts in Dutch (the default) and English. Elements name their text with data-i18n; scripts use Taskee.t().
window.Taskee = window.Taskee || {};
(() => {
  const texts = {
    en: {
      skip: 'Skip to content', language: 'Nederlands', signout: 'Sign out', actions: 'Actions', save: 'Save', reload: 'Reload',
      confirm: 'Confirm', cancel: 'Cancel',
      'signin.title': 'Sign in', 'signin.sso': "With your organisation's identity provider", 'signin.org': 'Organisation id',
      'signin.credential': 'With a token or an API key (break-glass)', 'signin.credentialLabel': 'Token or API key', 'signin.submit': 'Sign in',
      'signin.refused': 'That token or key was refused.', 'signin.ended': 'Your session has ended. Sign in again.',
      'overview.title': 'What you can do', 'overview.platform': 'You act for the platform.', 'overview.org': 'You act for organisation {0}.',
      'menu.overview': 'Overview', 'menu.members': 'Members', 'menu.keys': 'API keys', 'menu.audit': 'Audit log', 'menu.settings': 'Organisation',
      'menu.organisations': 'Organisations', 'menu.flags': 'Flags', 'menu.locked': '{0}: in plan {1}', 'menu.pickOrg': 'Open an organisation first.',
      'members.title': 'Members', 'members.userId': 'User id', 'members.email': 'Email', 'members.role': 'Role', 'members.invite': 'Invite',
      'members.remove': 'Remove', 'members.invited': '{0} was invited.', 'members.removed': '{0} was removed.',
      // Role changes, Roles, SSO & SCIM and Webhooks pages.
      'members.changeRole': 'Change role', 'members.roleChanged': '{0} now has role {1}.',
      'menu.roles': 'Roles', 'menu.sso': 'SSO & SCIM', 'menu.webhooks': 'Webhooks',
      'roles.title': 'Roles', 'roles.name': 'Name', 'roles.kind': 'Kind', 'roles.permissions': 'Permissions', 'roles.builtIn': 'built-in',
      'roles.custom': 'Custom roles', 'roles.customKind': 'custom', 'roles.delete': 'Delete', 'roles.saved': 'Role {0} saved.', 'roles.deleted': 'Role {0} deleted.',
      'sso.title': 'SSO and SCIM', 'sso.saml': 'SAML', 'sso.idpEntityId': "Identity provider's entity id", 'sso.idpSsoUrl': "Identity provider's SAML sign-in URL",
      'sso.certificate': 'Signing certificate (PEM; two during a rotation)', 'sso.defaultRole': 'Default role', 'sso.jit': 'New members at sign-in',
      'sso.idpInitiated': 'Sign-in started at the identity provider', 'sso.spEntityId': "Taskee's entity id (SP)", 'sso.acs': 'Assertion Consumer Service (ACS)',
      'sso.metadata': 'Metadata URL', 'sso.copy': 'Copy', 'sso.copied': 'Copied.',
      'sso.spLater': "Taskee's service-provider values (entity id, ACS, metadata) appear here once the SAML settings are saved.",
      'sso.oidc': 'OpenID Connect', 'sso.issuer': 'Issuer URL', 'sso.audience': 'Audience', 'sso.clientId': 'Client id (for sign-in)',
      'sso.clientSecret': 'Client secret (leave empty: unchanged)', 'sso.scim': 'SCIM', 'sso.scimBase': 'Base URL for the identity provider:',
      'sso.scimToken': "The secret token is an API key of this organisation with scope scim: it can use this organisation's /scim/v2 and nothing else.",
      'sso.scimCreate': 'Create SCIM token', 'sso.samlSaved': 'SAML settings saved.', 'sso.oidcSaved': 'OpenID Connect settings saved.',
      'webhooks.title': 'Webhooks', 'webhooks.events': 'Events (commas; org.* or *)', 'webhooks.eventsColumn': 'Events', 'webhooks.new': 'New',
      'webhooks.once': 'This signing secret is shown only once: store it now.', 'webhooks.disabled': 'off', 'webhooks.deliveries': 'Deliveries',
      'webhooks.test': 'Send test', 'webhooks.tested': 'Sent: {0}.', 'webhooks.rotated': 'The secret of {0} was rotated.', 'webhooks.deleted': '{0} was deleted.',
      'webhooks.deliveriesOf': 'Deliveries to {0}', 'webhooks.type': 'Type', 'webhooks.trigger': 'Trigger', 'webhooks.outcome': 'Outcome',
      'webhooks.redeliver': 'Redeliver', 'webhooks.created': '{0} was added.', 'webhooks.saved': '{0} was saved.',
      'keys.title': 'API keys', 'keys.name': 'Name', 'keys.scope': 'Scope', 'keys.state': 'State', 'keys.create': 'Create',
      'keys.once': 'This key is shown only once: store it now.', 'keys.rotate': 'Rotate', 'keys.revoke': 'Revoke', 'keys.revoked': 'revoked',
      'keys.active': 'active', 'keys.created': 'Key {0} was created.', 'keys.revokedMessage': 'Key {0} was revoked.', 'keys.rotated': 'Key {0} was rotated.',
      'audit.title': 'Audit log', 'audit.action': 'Action contains', 'audit.actor': 'By', 'audit.apply': 'Filter', 'audit.at': 'Time',
      'audit.actionColumn': 'Action', 'audit.target': 'Target', 'audit.export': 'Export:', 'audit.exportLocked': 'Export (audit_export): in plan {0}',
      'settings.title': 'Organisation', 'settings.name': 'Name', 'settings.saved': 'Saved.',
      conflict: 'Someone else changed this in the meantime. Reload to see the latest version.',
      'orgs.title': 'Organisations', 'orgs.plan': 'Plan', 'orgs.status': 'Status', 'orgs.search': 'Search', 'orgs.any': 'any', 'orgs.more': 'More',
      'orgs.metric': 'Metric', 'orgs.limit': 'Limit', 'orgs.setLimit': 'Set limit', 'orgs.feature': 'Feature', 'orgs.override': 'Set override',
      'orgs.created': 'Organisation {0} was created.', 'orgs.limitSet': 'Limit {0} set to {1}.', 'orgs.featureSet': 'Feature {0} set.',
      'flags.title': 'Flags', 'flags.key': 'Key', 'flags.rollout': 'Roll-out (%)', 'flags.enabled': 'On', 'flags.edit': 'Edit',
      'flags.confirm': 'This affects about {0} of {1} organisations. Continue?', 'flags.saved': 'Flag {0} saved.',
      forbidden: 'You may not do that.', failed: 'That did not work: {0}', none: 'none yet',
    },
    nl: {
      skip: 'Naar de inhoud', language: 'English', signout: 'Afmelden', actions: 'Acties', save: 'Opslaan', reload: 'Opnieuw laden',
      confirm: 'Bevestigen', cancel: 'Annuleren',
      'signin.title': 'Aanmelden', 'signin.sso': 'Met de identiteitsprovider van uw organisatie', 'signin.org': 'Organisatie-id',
      'signin.credential': 'Met een token of een API-sleutel (noodtoegang)', 'signin.credentialLabel': 'Token of API-sleutel', 'signin.submit': 'Aanmelden',
      'signin.refused': 'Dat token of die sleutel werd geweigerd.', 'signin.ended': 'Uw sessie is afgelopen. Meld u opnieuw aan.',
      'overview.title': 'Wat u kunt doen', 'overview.platform': 'U handelt namens het platform.', 'overview.org': 'U handelt namens organisatie {0}.',
      'menu.overview': 'Overzicht', 'menu.members': 'Leden', 'menu.keys': 'API-sleutels', 'menu.audit': 'Auditlog', 'menu.settings': 'Organisatie',
      'menu.organisations': 'Organisaties', 'menu.flags': 'Vlaggen', 'menu.locked': '{0}: in abonnement {1}', 'menu.pickOrg': 'Open eerst een organisatie.',
      'members.title': 'Leden', 'members.userId': 'Gebruikers-id', 'members.email': 'E-mail', 'members.role': 'Rol', 'members.invite': 'Uitnodigen',
      'members.remove': 'Verwijderen', 'members.invited': '{0} is uitgenodigd.', 'members.removed': '{0} is verwijderd.',
      // Rolwijzigingen, Rollen, SSO & SCIM en Webhooks.
      'members.changeRole': 'Rol wijzigen', 'members.roleChanged': '{0} heeft nu rol {1}.',
      'menu.roles': 'Rollen', 'menu.sso': 'SSO & SCIM', 'menu.webhooks': 'Webhooks',
      'roles.title': 'Rollen', 'roles.name': 'Naam', 'roles.kind': 'Soort', 'roles.permissions': 'Rechten', 'roles.builtIn': 'ingebouwd',
      'roles.custom': 'Eigen rollen', 'roles.customKind': 'eigen', 'roles.delete': 'Verwijderen', 'roles.saved': 'Rol {0} opgeslagen.', 'roles.deleted': 'Rol {0} verwijderd.',
      'sso.title': 'SSO en SCIM', 'sso.saml': 'SAML', 'sso.idpEntityId': 'Entity-id van de identiteitsprovider', 'sso.idpSsoUrl': 'Aanmeld-URL (SAML) van de identiteitsprovider',
      'sso.certificate': 'Ondertekeningscertificaat (PEM; twee tijdens een wissel)', 'sso.defaultRole': 'Standaardrol', 'sso.jit': 'Nieuwe leden bij aanmelden',
      'sso.idpInitiated': 'Aanmelden vanuit de identiteitsprovider', 'sso.spEntityId': 'Entity-id van Taskee (SP)', 'sso.acs': 'Assertion Consumer Service (ACS)',
      'sso.metadata': 'Metadata-URL', 'sso.copy': 'Kopiëren', 'sso.copied': 'Gekopieerd.',
      'sso.spLater': 'De gegevens van Taskee als service provider (entity-id, ACS, metadata) verschijnen hier zodra de SAML-instellingen zijn opgeslagen.',
      'sso.oidc': 'OpenID Connect', 'sso.issuer': 'Issuer-URL', 'sso.audience': 'Audience', 'sso.clientId': 'Client-id (voor aanmelden)',
      'sso.clientSecret': 'Client-secret (leeg laten: ongewijzigd)', 'sso.scim': 'SCIM', 'sso.scimBase': 'Basis-URL voor de identiteitsprovider:',
      'sso.scimToken': 'Het geheime token is een API-sleutel van deze organisatie met bereik scim: die kan alleen /scim/v2 van deze organisatie gebruiken.',
      'sso.scimCreate': 'SCIM-token aanmaken', 'sso.samlSaved': 'SAML-instellingen opgeslagen.', 'sso.oidcSaved': 'OpenID Connect-instellingen opgeslagen.',
      'webhooks.title': 'Webhooks', 'webhooks.events': "Gebeurtenissen (komma's; org.* of *)", 'webhooks.eventsColumn': 'Gebeurtenissen', 'webhooks.new': 'Nieuw',
      'webhooks.once': 'Dit ondertekeningsgeheim wordt maar één keer getoond: bewaar het nu.', 'webhooks.disabled': 'uit', 'webhooks.deliveries': 'Afleveringen',
      'webhooks.test': 'Test sturen', 'webhooks.tested': 'Verstuurd: {0}.', 'webhooks.rotated': 'Het geheim van {0} is vernieuwd.', 'webhooks.deleted': '{0} is verwijderd.',
      'webhooks.deliveriesOf': 'Afleveringen aan {0}', 'webhooks.type': 'Soort', 'webhooks.trigger': 'Aanleiding', 'webhooks.outcome': 'Uitkomst',
      'webhooks.redeliver': 'Opnieuw afleveren', 'webhooks.created': '{0} is toegevoegd.', 'webhooks.saved': '{0} is opgeslagen.',
      'keys.title': 'API-sleutels', 'keys.name': 'Naam', 'keys.scope': 'Bereik', 'keys.state': 'Status', 'keys.create': 'Aanmaken',
      'keys.once': 'Deze sleutel wordt maar één keer getoond: bewaar hem nu.', 'keys.rotate': 'Vernieuwen', 'keys.revoke': 'Intrekken',
      'keys.revoked': 'ingetrokken', 'keys.active': 'actief', 'keys.created': 'Sleutel {0} is aangemaakt.', 'keys.revokedMessage': 'Sleutel {0} is ingetrokken.',
      'keys.rotated': 'Sleutel {0} is vernieuwd.',
      'audit.title': 'Auditlog', 'audit.action': 'Actie bevat', 'audit.actor': 'Door', 'audit.apply': 'Filteren', 'audit.at': 'Tijdstip',
      'audit.actionColumn': 'Actie', 'audit.target': 'Onderwerp', 'audit.export': 'Exporteren:', 'audit.exportLocked': 'Exporteren (audit_export): in abonnement {0}',
      'settings.title': 'Organisatie', 'settings.name': 'Naam', 'settings.saved': 'Opgeslagen.',
      conflict: 'Iemand anders heeft dit intussen gewijzigd. Laad opnieuw om de nieuwste versie te zien.',
      'orgs.title': 'Organisaties', 'orgs.plan': 'Abonnement', 'orgs.status': 'Status', 'orgs.search': 'Zoeken', 'orgs.any': 'alle', 'orgs.more': 'Meer',
      'orgs.metric': 'Meeteenheid', 'orgs.limit': 'Limiet', 'orgs.setLimit': 'Limiet instellen', 'orgs.feature': 'Functie', 'orgs.override': 'Uitzondering instellen',
      'orgs.created': 'Organisatie {0} is aangemaakt.', 'orgs.limitSet': 'Limiet {0} is {1}.', 'orgs.featureSet': 'Functie {0} ingesteld.',
      'flags.title': 'Vlaggen', 'flags.key': 'Sleutel', 'flags.rollout': 'Uitrol (%)', 'flags.enabled': 'Aan', 'flags.edit': 'Bewerken',
      'flags.confirm': 'Dit raakt ongeveer {0} van de {1} organisaties. Doorgaan?', 'flags.saved': 'Vlag {0} opgeslagen.',
      forbidden: 'Dat mag u niet.', failed: 'Dat lukte niet: {0}', none: 'nog niets',
    },
  };
  const stored = localStorage.getItem('taskee.console.language');
  let language = stored === 'en' ? 'en' : 'nl';

  Taskee.t = (key, ...values) => (texts[language][key] || key).replace(/\{(\d)\}/g, (_, i) => String(values[Number(i)]));
  Taskee.language = () => language;
  Taskee.applyLanguage = () => {
    document.documentElement.lang = language;
    for (const element of document.querySelectorAll('[data-i18n]')) element.textContent = Taskee.t(element.dataset.i18n);
  };
  /** Pages in files of their own bring their texts: { en: {...}, nl: {...} }. */
  Taskee.addTexts = (more) => { for (const l of Object.keys(texts)) Object.assign(texts[l], more[l]); };
  Taskee.switchLanguage = () => {
    language = language === 'nl' ? 'en' : 'nl';
    localStorage.setItem('taskee.console.language', language);
    Taskee.applyLanguage();
  };
})();
