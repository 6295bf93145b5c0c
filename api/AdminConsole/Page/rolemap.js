// Group → role maps as the SSO page edits them: one "group = role" a line in a textarea, for SAML, OIDC and SCIM
// group roles alike. The API judges the roles; the page only turns the text into the object the API takes and back.
(() => {
  Taskee.addTexts({
    en: { 'sso.groupRoles': 'Groups → roles (one "group = role" a line)', 'sso.mapLine': 'Line {0} is not "group = role".',
      'sso.emailAttribute': 'Attribute with the e-mail address (empty: the NameID)', 'sso.rolesAttribute': 'Attribute with the groups',
      'sso.orgClaim': 'Claim with the organisation (empty: none)', 'sso.rolesClaim': 'Claim with the roles', 'sso.groupsClaim': 'Claim with the groups',
      'sso.samlDelete': 'Delete SAML settings', 'sso.samlDeleteConfirm': 'Yes, delete: people can no longer sign in with SAML',
      'sso.samlDeleted': 'SAML settings deleted.', 'sso.scimRoles': 'SCIM group roles', 'sso.scimRolesSaved': 'SCIM group roles saved.' },
    nl: { 'sso.groupRoles': 'Groepen → rollen (één "groep = rol" per regel)', 'sso.mapLine': 'Regel {0} is geen "groep = rol".',
      'sso.emailAttribute': 'Attribuut met het e-mailadres (leeg: de NameID)', 'sso.rolesAttribute': 'Attribuut met de groepen',
      'sso.orgClaim': 'Claim met de organisatie (leeg: geen)', 'sso.rolesClaim': 'Claim met de rollen', 'sso.groupsClaim': 'Claim met de groepen',
      'sso.samlDelete': 'SAML-instellingen verwijderen', 'sso.samlDeleteConfirm': 'Ja, verwijderen: niemand kan dan nog met SAML aanmelden',
      'sso.samlDeleted': 'SAML-instellingen verwijderd.', 'sso.scimRoles': 'SCIM-groepsrollen', 'sso.scimRolesSaved': 'SCIM-groepsrollen opgeslagen.' },
  });

  const format = (map) => Object.entries(map || {}).map(([group, role]) => group + ' = ' + role).join('\n');

  /** The map in the text; a line without "=" is refused by its number. Split at the last "=": group names may hold one, roles do not. */
  function parse(text) {
    const map = {};
    text.split('\n').forEach((line, index) => {
      if (!line.trim()) return;
      const at = line.lastIndexOf('=');
      const group = line.slice(0, at).trim();
      const role = line.slice(at + 1).trim();
      if (at < 0 || !group || !role) throw new Error(Taskee.t('sso.mapLine', index + 1));
      map[group] = role;
    });
    return map;
  }

  Taskee.roleMap = { format, parse };
})();
