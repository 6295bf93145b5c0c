using System.Reflection;

namespace Taskee.Api.Documents;

/// <summary>
/// The document templates: Markdown files in <c>docs/legal/</c> (<c>&lt;name&gt;.nl.md</c> and <c>&lt;name&gt;.en.md</c>),
/// embedded in the API assembly so every node renders the reviewed text.
/// </summary>
public static class DocumentCatalog
{
    /// <summary>What <c>GET /v1/quotes/{quoteId}/documents/{name}</c> renders from a saved quote.</summary>
    public static readonly IReadOnlyList<string> QuoteDocuments = ["order-form", "sla", "dpa"];

    /// <summary>What <c>legal-docs</c> renders for an organisation.</summary>
    public static readonly IReadOnlyList<string> LegalDocuments = ["dpa", "dpia", "sla", "records-of-processing", "incident-response", "security-overview"];

    public static readonly IReadOnlyList<string> Languages = ["nl", "en"];

    public const string DefaultLanguage = "nl";

    public static IReadOnlyList<string> All { get; } = QuoteDocuments.Union(LegalDocuments).Order(StringComparer.Ordinal).ToList();

    /// <summary>The template's Markdown; a name or language outside the catalogue is a programming error.</summary>
    public static string Template(string name, string language)
    {
        if (!All.Contains(name) || !Languages.Contains(language))
            throw new ArgumentException($"No document template '{name}' in '{language}'; the templates are {string.Join(", ", All)} in {string.Join(", ", Languages)}.");
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"legal/{name}.{language}.md")
            ?? throw new InvalidOperationException($"The template docs/legal/{name}.{language}.md is not embedded in the API assembly; rebuild.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
