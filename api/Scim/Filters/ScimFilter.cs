using System.Text.Json.Nodes;

namespace Taskee.Api.Scim.Filters;

/// <summary>
/// An attribute path: <c>userName</c>, <c>name.givenName</c>, <c>emails[type eq "work"]</c> or
/// <c>emails[type eq "work"].value</c>. Names are kept as written and compared case-insensitively. <see cref="Schema"/> is
/// the URN of the extension the attribute belongs to (<c>urn:...:enterprise:2.0:User:department</c>), null for the core schema.
/// </summary>
public sealed record ScimPath(string Attribute, ScimFilter? Filter, string? SubAttribute, string? Schema = null)
{
    /// <summary>The object that holds the attribute: the resource itself, or its extension object (null when it has none).</summary>
    public JsonObject? Container(JsonObject resource) =>
        Schema is null ? resource : ScimFilterEvaluator.Get(resource, Schema) as JsonObject;

    /// <summary>Lower-case dotted name without the filter (<c>emails.value</c>): what attribute rules are keyed by.</summary>
    public string Name => SubAttribute is null ? Attribute.ToLowerInvariant() : $"{Attribute.ToLowerInvariant()}.{SubAttribute.ToLowerInvariant()}";

    public override string ToString() => Attribute + (Filter is null ? "" : "[...]") + (SubAttribute is null ? "" : "." + SubAttribute);
}

/// <summary>A parsed SCIM filter (RFC 7644 section 3.4.2.2), evaluated in memory by <see cref="ScimFilterEvaluator"/>.</summary>
public abstract record ScimFilter;

/// <summary><c>path op value</c>; <see cref="Value"/> is null for the literal <c>null</c>.</summary>
public sealed record ScimCompare(ScimPath Path, string Operator, JsonValue? Value) : ScimFilter;

/// <summary><c>path pr</c>.</summary>
public sealed record ScimPresent(ScimPath Path) : ScimFilter;

/// <summary><c>emails[type eq "work"]</c> on its own: some element matches.</summary>
public sealed record ScimHas(ScimPath Path) : ScimFilter;

public sealed record ScimAnd(ScimFilter Left, ScimFilter Right) : ScimFilter;

public sealed record ScimOr(ScimFilter Left, ScimFilter Right) : ScimFilter;

public sealed record ScimNot(ScimFilter Inner) : ScimFilter;

/// <summary>A filter or path that cannot be parsed; the message says where and what to send.</summary>
public sealed class ScimFilterException(string message) : Exception(message);
