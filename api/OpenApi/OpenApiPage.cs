using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Taskee.Api;

/// <summary>
/// A self-contained page at <c>/openapi</c> that lists the operations of <c>/openapi/v1.json</c>:
/// no CDN and no bundle, so it works on an offline machine.
/// </summary>
public static class OpenApiPage
{
    public static void MapOpenApiPage(this IEndpointRouteBuilder app) =>
        app.MapGet("/openapi", () => TypedResults.Content(Html, "text/html; charset=utf-8")).ExcludeFromDescription();

    private const string Html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Taskee control plane API</title>
        <style>
          body{font:14px/1.5 system-ui,sans-serif;margin:2rem;max-width:70rem;color:#1d2733}
          h1{font-size:1.4rem} .op{border:1px solid #d8dee6;border-radius:6px;margin:.5rem 0;padding:.5rem .8rem}
          .m{display:inline-block;min-width:4.5rem;font-weight:600;text-transform:uppercase}
          .get{color:#1f6feb}.post{color:#1a7f37}.put{color:#9a6700}.patch{color:#8250df}.delete{color:#cf222e}
          code{background:#f3f5f8;padding:0 .3rem;border-radius:3px} details pre{white-space:pre-wrap;background:#f6f8fa;padding:.5rem}
        </style></head>
        <body><h1>Taskee control plane API</h1>
        <p>Machine-readable document: <a href="/openapi/v1.json"><code>/openapi/v1.json</code></a>.
        Authenticate with <code>Authorization: Bearer tk_...</code>.</p>
        <div id="ops">Loading…</div>
        <script>
        fetch('/openapi/v1.json').then(r => r.json()).then(doc => {
          const root = document.getElementById('ops'); root.textContent = '';
          for (const [path, item] of Object.entries(doc.paths || {})) {
            for (const [method, op] of Object.entries(item)) {
              if (!['get','post','put','patch','delete'].includes(method)) continue;
              const div = document.createElement('div'); div.className = 'op';
              const head = document.createElement('div');
              const m = document.createElement('span'); m.className = 'm ' + method; m.textContent = method;
              const p = document.createElement('code'); p.textContent = path;
              head.append(m, p, document.createTextNode('  ' + (op.operationId || '') + '  ' + (op.tags || []).join(', ')));
              const details = document.createElement('details');
              const summary = document.createElement('summary'); summary.textContent = 'responses: ' + Object.keys(op.responses || {}).join(', ');
              const pre = document.createElement('pre'); pre.textContent = JSON.stringify(op, null, 2);
              details.append(summary, pre); div.append(head, details); root.append(div);
            }
          }
        });
        </script></body></html>
        """;
}
