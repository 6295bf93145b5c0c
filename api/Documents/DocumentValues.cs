using System.Text;

namespace Taskee.Api.Documents;

/// <summary>
/// The values a template's <c>{{placeholders}}</c> are filled with, as Markdown. Text is escaped, so a customer's name
/// cannot add markup; tables built by code are added as Markdown. Builders (<see cref="ContractValues"/>,
/// <see cref="QuoteDocumentValues"/>, <see cref="ServiceFacts"/>) turn the typed model into these.
/// </summary>
public sealed class DocumentValues
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _values.Keys;

    public DocumentValues Text(string name, string value)
    {
        _values[name] = Escape(value);
        return this;
    }

    public DocumentValues Markdown(string name, string markdown)
    {
        _values[name] = markdown;
        return this;
    }

    public DocumentValues With(DocumentValues other)
    {
        foreach (var (name, value) in other._values) _values[name] = value;
        return this;
    }

    public bool TryGet(string name, out string value) => _values.TryGetValue(name, out value!);

    /// <summary>A Markdown table; every cell is text.</summary>
    public static string Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new StringBuilder();
        table.Append("| ").AppendJoin(" | ", header.Select(Escape)).AppendLine(" |");
        table.Append('|').AppendJoin("|", header.Select(_ => "---")).AppendLine("|");
        foreach (var row in rows) table.Append("| ").AppendJoin(" | ", row.Select(Escape)).AppendLine(" |");
        return table.ToString();
    }

    /// <summary>Backslash before every ASCII punctuation mark (CommonMark allows it for all of them); one line.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text.ReplaceLineEndings(" "))
        {
            if (char.IsAsciiLetterOrDigit(c) || c == ' ' || c > 127) escaped.Append(c);
            else if (char.IsPunctuation(c) || char.IsSymbol(c)) escaped.Append('\\').Append(c);
            else escaped.Append(' ');
        }
        return escaped.ToString();
    }
}
