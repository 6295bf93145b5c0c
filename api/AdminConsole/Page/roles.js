// Roles page: the built-in roles and the organisation's custom roles with their permissions; create, edit and delete
// custom roles (PUT/DELETE .../roles/{role}, feature custom_roles). The permissions offered are those the built-in
// roles grant, read from the same list, so the page holds no copy of the role table.
(() => {
  const { api } = Taskee;
  let ctx;

  function permissionBoxes(permissions, checked) {
    const fieldset = document.getElementById('role-permissions');
    fieldset.replaceChildren(fieldset.querySelector('legend'));
    for (const permission of permissions) {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = permission;
      box.checked = checked.includes(permission);
      label.append(box, ' ' + permission);
      fieldset.appendChild(label);
    }
  }

  async function load(context) {
    ctx = context;
    const roles = (await api.get(api.path('organisations', ctx.orgId(), 'roles'))).items;
    const offered = [...new Set(roles.filter((r) => r.builtIn).flatMap((r) => r.permissions))].sort();
    const licensed = await Taskee.featureGate(ctx, 'custom_roles', Taskee.t('roles.custom'), document.getElementById('roles-locked'));
    const form = document.getElementById('role-form');
    form.hidden = !ctx.can('roles:write') || !licensed;
    permissionBoxes(offered, []);
    api.fill(document.getElementById('roles'), roles, (row, r) => {
      api.cell(row, r.role);
      api.cell(row, r.builtIn ? Taskee.t('roles.builtIn') : Taskee.t('roles.customKind'));
      api.cell(row, r.permissions.join(', '));
      const actions = row.insertCell();
      if (r.builtIn || form.hidden) return;
      api.action(actions, Taskee.t('flags.edit'), 'secondary', r.role, () => edit(r, offered));
      api.action(actions, Taskee.t('roles.delete'), 'danger', r.role, () => remove(r.role));
    });
  }

  function edit(role, offered) {
    document.getElementById('role-name').value = role.role;
    permissionBoxes([...new Set([...offered, ...role.permissions])].sort(), role.permissions);
    document.getElementById('role-name').focus();
  }

  async function remove(role) {
    try {
      await api.send('DELETE', api.path('organisations', ctx.orgId(), 'roles', role));
      api.say(Taskee.t('roles.deleted', role));
      await load(ctx);
    } catch (error) { api.report(error); }
  }

  function init() {
    document.getElementById('role-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      const role = document.getElementById('role-name').value.trim();
      const permissions = [...document.querySelectorAll('#role-permissions input:checked')].map((box) => box.value);
      try {
        await api.send('PUT', api.path('organisations', ctx.orgId(), 'roles', role), { permissions });
        event.target.reset();
        await load(ctx);
        api.say(Taskee.t('roles.saved', role));
      } catch (error) { api.report(error); }
    });
  }

  Taskee.pages.roles = { permission: 'roles:read', orgScoped: true, init, load };
})();
