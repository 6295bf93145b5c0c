using System.Text.Json;

namespace Taskee.Api.Billing.Stripe;

/// <summary>The envelope of a Stripe event: <c>{"id":"evt_...","type":"...","created":unix,"data":{"object":{...}}}</c>.</summary>
public sealed record StripeEvent(string Id, string Type, DateTimeOffset Created, JsonElement Object, string? ApiVersion, bool Livemode)
{
    /// <summary>Reads the envelope; null when the text is not a Stripe event.</summary>
    public static StripeEvent? Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8);
            using var document = JsonDocument.ParseValue(ref reader);
            return From(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static StripeEvent? Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return From(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static StripeEvent? From(JsonElement root)
    {
        if (StripeJson.String(root, "id") is not { Length: > 0 and <= 255 } id
            || StripeJson.String(root, "type") is not { Length: > 0 and <= 255 } type
            || StripeJson.Time(root, "created") is not { } created
            || StripeJson.Path(root, "data", "object") is not { } obj)
            return null;
        return new StripeEvent(id, type, created, obj.Clone(), StripeJson.String(root, "api_version"), StripeJson.Bool(root, "livemode"));
    }

    /// <summary>The Stripe customer the event's object belongs to, when it names one.</summary>
    public string? CustomerId =>
        StripeJson.String(Object, "object") == "customer" ? StripeJson.String(Object, "id") : StripeJson.Id(Object, "customer");
}
