using Microsoft.Extensions.Configuration;

namespace Taskee.Api.Identity.Saml;

/// <summary>
/// This node as a SAML service provider of an organisation: the entity id and ACS URL its IdP is configured with.
/// Built from the node's public base URL, so every silo of a cluster names the same ones.
/// </summary>
public sealed class SamlServiceProvider(string baseUrl)
{
    /// <summary>What Kestrel listens on when nothing is configured.</summary>
    private const string KestrelDefault = "http://localhost:5000";

    public string BaseUrl { get; } = baseUrl.TrimEnd('/');

    /// <summary>
    /// <c>Auth:Issuer:Url</c>, else the first of <c>Urls</c>. The one place that reads the public base URL: swap it for
    /// the token issuer's options class once that exists, so both name the node the same way.
    /// </summary>
    public static SamlServiceProvider FromConfiguration(IConfiguration configuration) => new(
        configuration["Auth:Issuer:Url"] is { Length: > 0 } issuer ? issuer
        : configuration["Urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? KestrelDefault);

    /// <summary>The SP entity id; a GET on it answers the metadata too, so it resolves like the metadata URL.</summary>
    public string EntityId(string orgId) => $"{BaseUrl}/saml/{Uri.EscapeDataString(orgId)}";

    public string MetadataUrl(string orgId) => $"{EntityId(orgId)}/metadata";

    public string AcsUrl(string orgId) => $"{EntityId(orgId)}/acs";
}
