using Microsoft.Extensions.Options;
using Taskee.Api.Identity.Issuer;

namespace Taskee.Api.Identity.Saml;

/// <summary>
/// This node as a SAML service provider of an organisation: the entity id and ACS URL its IdP is configured with.
/// Built from the token issuer's public base URL (<c>Auth:Issuer:Url</c>), so the issuer, SAML and OIDC name the node
/// the same way and every silo of a cluster names the same addresses.
/// </summary>
public sealed class SamlServiceProvider(IOptions<IssuerOptions> issuer)
{
    /// <summary>The SP entity id; a GET on it answers the metadata too, so it resolves like the metadata URL.</summary>
    public string EntityId(string orgId) => issuer.Value.UrlFor($"/saml/{Uri.EscapeDataString(orgId)}");

    public string MetadataUrl(string orgId) => $"{EntityId(orgId)}/metadata";

    public string AcsUrl(string orgId) => $"{EntityId(orgId)}/acs";
}
