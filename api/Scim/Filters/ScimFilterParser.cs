using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Taskee.Api.Scim.Filters;

/// <summary>
/// A recursive-descent parser for SCIM filters and attribute paths (RFC 7644 3.4.2.2 and 3.5.2). Operators and
/// attribute names are case-insensitive; <c>not</c> binds tighter than <c>and</c>, which binds tighter than <c>or</c>.
/// Bounded in length and nesting, so a hostile filter costs little to refuse.
/// </summary>
public sealed class ScimFilterParser
{
    public const int MaxLength = 4096;
    private const int MaxDepth = 32;

    private static readonly HashSet<string> CompareOperators = new(StringComparer.Ordinal) { "eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le" };

    /// <summary>The schema extensions whose attributes live in an object keyed by their URN (RFC 7643 3.3).</summary>
    public static readonly string[] Extensions = [ScimSchemas.EnterpriseUser];

    private readonly string _text;
    private int _position;
    private int _depth;

    private ScimFilterParser(string text) => _text = text;

    public static ScimFilter Parse(string filter)
    {
        var parser = Start(filter);
        var result = parser.ParseOr();
        parser.ExpectEnd();
        return result;
    }

    /// <summary>A PATCH path: <c>attr</c>, <c>attr.sub</c>, <c>attr[filter]</c> or <c>attr[filter].sub</c>, with an optional schema URN.</summary>
    public static ScimPath ParsePath(string path)
    {
        var parser = Start(path);
        var result = parser.ParsePathExpression();
        parser.ExpectEnd();
        return result;
    }

    private static ScimFilterParser Start(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ScimFilterException("The filter is empty; send e.g. userName eq \"jan@example.com\".");
        if (text.Length > MaxLength) throw new ScimFilterException($"The filter is {text.Length} characters long; at most {MaxLength} are accepted.");
        return new ScimFilterParser(text);
    }

    private ScimFilter ParseOr()
    {
        var left = ParseAnd();
        while (TryKeyword("or")) left = new ScimOr(left, ParseAnd());
        return left;
    }

    private ScimFilter ParseAnd()
    {
        var left = ParseUnary();
        while (TryKeyword("and")) left = new ScimAnd(left, ParseUnary());
        return left;
    }

    private ScimFilter ParseUnary()
    {
        if (++_depth > MaxDepth) throw Error($"the filter nests deeper than {MaxDepth} levels");
        try
        {
            if (TryKeyword("not"))
            {
                SkipSpace();
                if (!TryChar('(')) throw Error("'not' must be followed by a filter in parentheses, e.g. not (active eq true)");
                var inner = ParseOr();
                Expect(')');
                return new ScimNot(inner);
            }
            SkipSpace();
            if (TryChar('('))
            {
                var grouped = ParseOr();
                Expect(')');
                return grouped;
            }
            return ParseAttributeExpression();
        }
        finally
        {
            _depth--;
        }
    }

    private ScimFilter ParseAttributeExpression()
    {
        var path = ParsePathExpression();
        SkipSpace();
        if (path.Filter is not null && path.SubAttribute is null && (AtEnd || Peek is ')' or ']' || PeekWord() is "and" or "or"))
            return new ScimHas(path);

        var start = _position;
        var op = ReadWord().ToLowerInvariant();
        if (op == "pr") return new ScimPresent(path);
        if (!CompareOperators.Contains(op))
        {
            _position = start;
            throw Error(op.Length == 0 ? $"an operator must follow '{path}'" : $"'{op}' is not an operator; use eq, ne, co, sw, ew, gt, ge, lt, le or pr");
        }
        var value = ParseValue();
        Check(path, op, value);
        return new ScimCompare(path, op, value);
    }

    /// <summary>Refuses what can never be true by RFC 7644: ordering booleans or nulls, substrings of non-strings, non-dates for date attributes.</summary>
    private void Check(ScimPath path, string op, JsonValue? value)
    {
        var ordering = op is "gt" or "ge" or "lt" or "le";
        var substring = op is "co" or "sw" or "ew";
        if (value is null && op is not ("eq" or "ne")) throw Error($"'{op} null' is not allowed; only eq and ne compare with null");
        if (value is not null && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False && (ordering || substring))
            throw Error($"'{op}' does not apply to a boolean");
        if (substring && value is not null && value.GetValueKind() != JsonValueKind.String) throw Error($"'{op}' needs a string value");
        if (ScimAttributes.IsDate(path.Name) && value is not null
            && (value.GetValueKind() != JsonValueKind.String || !ScimAttributes.TryParseDate(value.GetValue<string>(), out _)))
            throw Error($"'{path}' is a date: compare it with a quoted RFC 3339 time such as \"2026-01-31T12:00:00Z\"");
    }

    private ScimPath ParsePathExpression()
    {
        SkipSpace();
        var start = _position;
        var word = ReadWord();
        if (word.Length == 0) throw Error("an attribute name is expected");
        var (attribute, sub, schema) = SplitName(word, start);

        ScimFilter? filter = null;
        if (TryChar('['))
        {
            if (sub is not null) throw Error($"a value filter applies to a multi-valued attribute, not to '{word}'");
            filter = ParseOr();
            if (ContainsValueFilter(filter)) throw Error("value filters cannot be nested");
            Expect(']');
            if (TryChar('.'))
            {
                var subStart = _position;
                var subName = ReadWord();
                if (!IsAttributeName(subName)) { _position = subStart; throw Error("a sub-attribute name must follow ']. '"); }
                sub = subName;
            }
        }
        return new ScimPath(attribute, filter, sub, schema);
    }

    /// <summary>
    /// <c>name.givenName</c> → (name, givenName). A core schema URN prefix (<c>urn:...:core:2.0:User:userName</c>) is dropped;
    /// a known extension's (<c>urn:...:enterprise:2.0:User:manager.value</c>) becomes the path's schema, and the extension's
    /// URN alone names its whole object (kept as the attribute, as the resource spells its key).
    /// </summary>
    private (string Attribute, string? Sub, string? Schema) SplitName(string word, int start)
    {
        foreach (var extension in Extensions)
            if (string.Equals(word, extension, StringComparison.OrdinalIgnoreCase)) return (extension, null, null);
        var name = word;
        string? schema = null;
        var colon = word.LastIndexOf(':');
        if (colon >= 0)
        {
            if (!word.StartsWith("urn:", StringComparison.OrdinalIgnoreCase)) { _position = start; throw Error($"'{word}' is not an attribute name"); }
            name = word[(colon + 1)..];
            schema = Extensions.FirstOrDefault(e => string.Equals(e, word[..colon], StringComparison.OrdinalIgnoreCase));
        }
        var parts = name.Split('.');
        if (parts.Length > 2 || !parts.All(IsAttributeName)) { _position = start; throw Error($"'{word}' is not an attribute name"); }
        return (parts[0], parts.Length == 2 ? parts[1] : null, schema);
    }

    private static bool IsAttributeName(string name) =>
        name == "$ref" || (name.Length is > 0 and <= 128 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));

    private static bool ContainsValueFilter(ScimFilter filter) => filter switch
    {
        ScimCompare c => c.Path.Filter is not null,
        ScimPresent p => p.Path.Filter is not null,
        ScimHas => true,
        ScimAnd a => ContainsValueFilter(a.Left) || ContainsValueFilter(a.Right),
        ScimOr o => ContainsValueFilter(o.Left) || ContainsValueFilter(o.Right),
        ScimNot n => ContainsValueFilter(n.Inner),
        _ => false,
    };

    private JsonValue? ParseValue()
    {
        SkipSpace();
        if (AtEnd) throw Error("a value must follow the operator");
        if (Peek == '"') return JsonValue.Create(ReadString());
        var start = _position;
        var word = ReadWord();
        switch (word.ToLowerInvariant())
        {
            case "true": return JsonValue.Create(true);
            case "false": return JsonValue.Create(false);
            case "null": return null;
        }
        if (word.Length > 0 && decimal.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return JsonValue.Create(number);
        _position = start;
        throw Error("a value is a quoted string, a number, true, false or null");
    }

    private string ReadString()
    {
        var start = _position;
        var escaped = false;
        for (_position++; _position < _text.Length; _position++)
        {
            var c = _text[_position];
            if (escaped) { escaped = false; continue; }
            if (c == '\\') { escaped = true; continue; }
            if (c != '"') continue;
            _position++;
            try
            {
                return JsonSerializer.Deserialize<string>(_text.AsSpan(start, _position - start))!;
            }
            catch (JsonException)
            {
                _position = start;
                throw Error("the string has an invalid escape");
            }
        }
        _position = start;
        throw Error("the string is not closed with '\"'");
    }

    /// <summary>A run of name characters: attribute names, URNs, operators, literals and numbers.</summary>
    private string ReadWord()
    {
        var start = _position;
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] is '.' or ':' or '-' or '_' or '$' or '+'))
            _position++;
        return _text[start.._position];
    }

    private string PeekWord()
    {
        var start = _position;
        var word = ReadWord().ToLowerInvariant();
        _position = start;
        return word;
    }

    private bool TryKeyword(string keyword)
    {
        SkipSpace();
        var start = _position;
        if (string.Equals(ReadWord(), keyword, StringComparison.OrdinalIgnoreCase)) return true;
        _position = start;
        return false;
    }

    private bool AtEnd => _position >= _text.Length;

    private char Peek => _text[_position];

    private void SkipSpace()
    {
        while (_position < _text.Length && _text[_position] == ' ') _position++;
    }

    private bool TryChar(char c)
    {
        if (AtEnd || _text[_position] != c) return false;
        _position++;
        return true;
    }

    private void Expect(char c)
    {
        SkipSpace();
        if (!TryChar(c)) throw Error($"'{c}' is expected");
    }

    private void ExpectEnd()
    {
        SkipSpace();
        if (!AtEnd) throw Error("unexpected text (join expressions with 'and' or 'or')");
    }

    private ScimFilterException Error(string what)
    {
        var near = _position >= _text.Length ? "at the end" : $"at position {_position + 1} ('{_text[_position..Math.Min(_text.Length, _position + 20)]}')";
        return new ScimFilterException($"The filter cannot be parsed {near}: {what}.");
    }
}
