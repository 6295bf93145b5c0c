// Members page: list, invite (POST .../members), remove (DELETE .../members/{userId}).
(() => {
  const { api } = Taskee;
  let ctx;

  async function load(context) {
    ctx = context;
    const list = await api.get(api.path('organisations', ctx.orgId(), 'members'));
    api.fill(document.getElementById('members'), list.items, (row, m) => {
      api.cell(row, m.userId);
      api.cell(row, m.email);
      api.cell(row, m.role);
      if (ctx.can('members:write')) api.button(row, Taskee.t('members.remove'), 'danger', () => remove(m.userId));
      else row.insertCell();
    });
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
  }

  Taskee.pages.members = { permission: 'members:read', orgScoped: true, init, load };
})();
