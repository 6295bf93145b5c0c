// Organisation settings: the name, changed with If-Match; a 412 says someone else changed it and offers a reload.
(() => {
  const { api } = Taskee;
  let ctx;
  let etag = null;

  async function load(context) {
    ctx = context;
    document.getElementById('conflict').hidden = true;
    const { data, etag: current } = await api.send('GET', api.path('organisations', ctx.orgId()));
    etag = current || '"' + data.version + '"';
    document.getElementById('settings-name').value = data.name;
    document.getElementById('settings-name').readOnly = !ctx.can('org:write');
  }

  function init() {
    document.getElementById('settings-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        const { etag: next } = await api.send('PATCH', api.path('organisations', ctx.orgId()),
          { name: document.getElementById('settings-name').value.trim() }, { 'If-Match': etag });
        if (next) etag = next;
        api.say(Taskee.t('settings.saved'));
      } catch (error) {
        if (error instanceof api.ApiError && error.status === 412) document.getElementById('conflict').hidden = false;
        else api.report(error);
      }
    });
    document.getElementById('conflict-reload').addEventListener('click', () => load(ctx).catch(api.report));
  }

  Taskee.pages.settings = { permission: 'org:read', orgScoped: true, init, load };
})();
