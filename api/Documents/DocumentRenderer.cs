using System.Net;
using System.Text.RegularExpressions;
using Markdig;

namespace Taskee.Api.Documents;

/// <summary>A document ready to serve: its printable HTML page and the title it carries.</summary>
public sealed record RenderedDocument(string Name, string Language, string Title, string Html);

/// <summary>A template names a placeholder the values do not fill (or writes one badly): the document is not served half-filled.</summary>
public sealed class DocumentTemplateException(string message) : Exception(message);

/// <summary>
/// Fills a template's <c>{{name}}</c> placeholders and renders the Markdown to a printable HTML page. Raw HTML in the
/// Markdown is not passed through, so neither a template nor a value can add scripts or outside resources.
/// </summary>
public static partial class DocumentRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();

    public static RenderedDocument Render(string name, string language, DocumentValues values)
    {
        var markdown = Fill(DocumentCatalog.Template(name, language), values, $"{name}.{language}");
        var title = markdown.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?[2..] ?? name;
        var body = Markdig.Markdown.ToHtml(markdown, Pipeline);
        return new RenderedDocument(name, language, StripEscapes(title), DocumentPage.Html(language, StripEscapes(title), body));
    }

    /// <summary>The template with every placeholder replaced; throws naming each placeholder the values lack.</summary>
    public static string Fill(string template, DocumentValues values, string templateName)
    {
        var unfilled = new SortedSet<string>(StringComparer.Ordinal);
        var filled = Placeholder().Replace(template, m =>
        {
            if (values.TryGet(m.Groups[1].Value, out var value)) return value;
            unfilled.Add(m.Groups[1].Value);
            return m.Value;
        });
        if (unfilled.Count > 0)
            throw new DocumentTemplateException($"Template {templateName} has no value for {string.Join(", ", unfilled.Select(p => "{{" + p + "}}"))}.");
        var malformed = filled.IndexOf("{{", StringComparison.Ordinal);
        if (malformed >= 0 || filled.Contains("}}", StringComparison.Ordinal))
            throw new DocumentTemplateException($"Template {templateName} has a malformed placeholder near \"{filled.Substring(Math.Max(0, malformed), Math.Min(40, filled.Length - Math.Max(0, malformed)))}\": write {{{{name}}}}.");
        return filled;
    }

    private static string StripEscapes(string text) => WebUtility.HtmlDecode(Regex.Replace(text, @"\\(\p{P}|\p{S})", "$1"));

    [GeneratedRegex(@"\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}")]
    private static partial Regex Placeholder();
}
