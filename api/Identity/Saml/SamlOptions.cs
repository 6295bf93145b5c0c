using System.ComponentModel.DataAnnotations;

namespace Taskee.Api.Identity.Saml;

/// <summary>Configuration section <c>Auth:Saml</c>.</summary>
public sealed class SamlOptions
{
    public const string Section = "Auth:Saml";

    /// <summary>How long an AuthnRequest may wait for its answer: the time a person has to sign in at the IdP.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Auth:Saml:RequestLifetime must be between 00:01:00 and 1.00:00:00.")]
    public TimeSpan RequestLifetime { get; set; } = TimeSpan.FromMinutes(10);
}
