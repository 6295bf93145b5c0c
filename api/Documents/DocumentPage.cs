using System.Net;

namespace Taskee.Api.Documents;

/// <summary>
/// The HTML page around a rendered document: self-contained (no fonts or styles from elsewhere, and a content security
/// policy that loads nothing else and runs no script, also when Chromium prints it), A4 when printed.
/// </summary>
public static class DocumentPage
{
    public static string Html(string language, string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="{{language}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <title>{{WebUtility.HtmlEncode(title)}}</title>
        <style>
        body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #111; line-height: 1.45; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
        h1 { font-size: 1.6rem; border-bottom: 2px solid #1d4ed8; padding-bottom: .3rem; }
        h2 { font-size: 1.2rem; margin-top: 1.6rem; }
        table { border-collapse: collapse; width: 100%; margin: .8rem 0; font-size: .92rem; }
        th, td { border: 1px solid #999; padding: .3rem .5rem; text-align: left; vertical-align: top; }
        th { background: #e8edf7; }
        thead:not(:has(th:not(:empty))) { display: none; } /* a key-value table has an empty header row in Markdown */
        td:last-child { white-space: normal; }
        code { font-family: "DejaVu Sans Mono", monospace; font-size: .88em; }
        @page { size: A4; margin: 18mm 16mm; }
        @media print {
          body { margin: 0; max-width: none; font-size: 10.5pt; }
          h1, h2, h3 { break-after: avoid; }
          tr { break-inside: avoid; }
          th { background: #e8edf7 !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        </style>
        </head>
        <body>
        {{body}}
        </body>
        </html>
        """;
}
