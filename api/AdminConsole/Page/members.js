// Members page: list, invite (POST .../members), change role (PATCH .../members/{userId} with the list's If-Match),
// remove (DELETE .../members/{userId}). Owner is offered only to callers who may make owners (roles:write).
(() => {
  const { api } = Taskee;
  let ctx;
  let etag = null;

  /** Built-in and custom roles when the caller may read roles; the built-in ones otherwise. */
  async function roleNames() {
    if (!ctx.can('roles:read')) return ['member', 'admin', 'billing', 'auditor', 'owner'];
    return (await api.get(api.path('organisations', ctx.orgId(), 'roles'))).items.map((r) => r.role);
  }

  function roleSelect(member, roles) {
    const select = document.createElement('select');
    select.id = 'role-' + member.userId;
    select.setAttribute('aria-label', Taskee.t('members.role') + ' ' + member.userId);
    const owners = ctx.can('roles:write');
    for (const role of roles.filter((r) => owners || r !== 'owner' || member.role === 'owner')) {
      const option = document.createElement('option');
      option.textContent = role;
      option.selected = role === member.role;
      select.appendChild(option);
    }
    // Only an owner (roles:write) may unmake an owner: the API would refuse it anyway.
    select.disabled = member.role === 'owner' && !owners;
    return select;
  }

  /** The invite form offers the same roles as the role selects, member first (the usual choice). */
  function fillInviteRoles(roles) {
    const select = document.getElementById('invite-role');
    const offered = ['member', ...roles.filter((r) => r !== 'member' && (r !== 'owner' || ctx.can('roles:write')))];
    select.replaceChildren(...offered.map((role) => { const option = document.createElement('option'); option.textContent = role; return option; }));
  }

  async function load(context) {
    ctx = context;
    document.getElementById('members-conflict').hidden = true;
    const { data: list, etag: current } = await api.send('GET', api.path('organisations', ctx.orgId(), 'members'));
    etag = current;
    const writable = ctx.can('members:write');
    const roles = writable ? await roleNames() : [];
    if (writable) fillInviteRoles(roles);
    api.fill(document.getElementById('members'), list.items, (row, m) => {
      api.cell(row, m.userId);
      api.cell(row, m.email);
      if (!writable) { api.cell(row, m.role); row.insertCell(); return; }
      const select = roleSelect(m, roles);
      row.insertCell().appendChild(select);
      const actions = row.insertCell();
      api.action(actions, Taskee.t('members.changeRole'), 'secondary', m.userId, () => changeRole(m, select.value)).disabled = select.disabled;
      api.action(actions, Taskee.t('members.remove'), 'danger', m.userId, () => remove(m.userId));
    });
  }

  async function changeRole(member, role) {
    if (role === member.role) return;
    try {
      await api.send('PATCH', api.path('organisations', ctx.orgId(), 'members', member.userId), { role }, { 'If-Match': etag });
      await load(ctx);
      api.say(Taskee.t('members.roleChanged', member.userId, role));
    } catch (error) {
      if (error instanceof api.ApiError && error.status === 412) document.getElementById('members-conflict').hidden = false;
      else api.report(error);
    }
  }

  async function remove(userId) {
    try {
      await api.send('DELETE', api.path('organisations', ctx.orgId(), 'members', userId));
      api.say(Taskee.t('members.removed', userId));
      await load(ctx);
    } catch (error) { api.report(error); }
  }

  function init() {
    document.getElementById('invite-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const userId = document.getElementById('invite-user').value.trim();
      try {
        await api.send('POST', api.path('organisations', ctx.orgId(), 'members'), {
          userId, email: document.getElementById('invite-email').value.trim(), role: document.getElementById('invite-role').value,
        }, { 'Idempotency-Key': crypto.randomUUID() });
        api.say(Taskee.t('members.invited', userId));
        event.target.reset();
        await load(ctx);
      } catch (error) { api.report(error); }
    });
    document.getElementById('members-conflict-reload').addEventListener('click', () => load(ctx).catch(api.report));
  }

  Taskee.pages.members = { permission: 'members:read', orgScoped: true, init, load };
})();
