using System.Security.Cryptography;
using System.Xml;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Taskee.Api.Identity.SignIn;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Identity.Saml;

/// <summary>
/// This node as an organisation's SAML service provider: metadata for the IdP's admin, SP-initiated login
/// (HTTP-Redirect) and the assertion consumer service (HTTP-POST). Unauthenticated: the browser arrives from the IdP.
/// </summary>
public static class SamlEndpoints
{
    /// <summary>Largest SAMLResponse form field accepted (base64 characters).</summary>
    public const int MaxResponseLength = 512 * 1024;

    public static void MapSamlEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/saml/{orgId}").WithTags("SAML").AllowAnonymous();
        group.MapGet("/", MetadataAsync).WithName("SamlEntityId").ExcludeFromDescription();
        group.MapGet("/metadata", MetadataAsync).WithName("SamlMetadata");
        group.MapGet("/login", LoginAsync).WithName("SamlLogin");
        // The IdP's page posts the form cross-site: no antiforgery token can exist. The signature is the proof.
        group.MapPost("/acs", AcsAsync).DisableAntiforgery().WithName("SamlAcs");
    }

    public static async Task<IResult> MetadataAsync(string orgId, ISamlStore store, SamlServiceProvider sp, CancellationToken ct)
    {
        if (await store.GetAsync(orgId, ct) is null) return Problems.NotFound($"Organisation '{orgId}' has no SAML sign-in configured.");
        return TypedResults.Text(SamlMessages.Metadata(sp.EntityId(orgId), sp.AcsUrl(orgId)), "application/samlmetadata+xml; charset=utf-8");
    }

    public static async Task<IResult> LoginAsync(
        string orgId, string? returnTo, ISamlStore store, OrganisationGrains grains, SamlServiceProvider sp, IOptions<SamlOptions> options,
        TimeProvider clock, ILoggerFactory loggers, HttpContext http, CancellationToken ct)
    {
        returnTo ??= ReturnTo.Default;
        if (!ReturnTo.IsSafe(returnTo))
            return SamlRefusal.Answer(http, 400, "Bad Request", "returnTo must be a path on this site, such as /console; other sites are not allowed.");
        if (await store.GetAsync(orgId, ct) is not { } settings || await grains.GetAsync(orgId, ct) is not { } grain)
            return SamlRefusal.Answer(http, 404, "Not Found", $"Organisation '{orgId}' has no SAML sign-in configured.");
        if (await grain.RequireFeatureAsync(Features.Sso, "SAML sign-in") is { } missing)
            return SamlRefusal.Answer(http, 403, "Forbidden", missing.ProblemDetails.Detail!);

        var now = clock.GetUtcNow();
        var requestId = SamlMessages.NewRequestId();
        // In the database, not in memory: the IdP may post the answer to another silo.
        await store.RememberRequestAsync(new PendingSamlRequest(requestId, orgId, returnTo, now + options.Value.RequestLifetime), ct);
        var request = SamlMessages.AuthnRequest(requestId, sp.EntityId(orgId), sp.AcsUrl(orgId), settings.IdpSsoUrl, now);
        SamlLog.RequestSent(loggers.CreateLogger(typeof(SamlEndpoints)), orgId, requestId);
        // RelayState is the request id, opaque and short (80 bytes at most, SAML bindings 3.4.3): the page to return
        // to stays in the database, so nothing the browser carries can redirect it elsewhere.
        return TypedResults.Redirect(SamlMessages.RedirectUrl(settings.IdpSsoUrl, request, requestId));
    }

    public static async Task<IResult> AcsAsync(
        string orgId, ISamlStore store, OrganisationGrains grains, SamlServiceProvider sp, [FromServices] ISignInService signIn, TimeProvider clock,
        ILoggerFactory loggers, HttpContext http, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(SamlEndpoints));
        IResult Refuse(int status, string reason)
        {
            SamlLog.Refused(logger, orgId, status, reason);
            return SamlRefusal.Answer(http, status, status == 404 ? "Not Found" : "SAML sign-in refused", reason);
        }

        if (!http.Request.HasFormContentType) return Refuse(415, "The ACS takes the HTTP-POST binding: a form with SAMLResponse (application/x-www-form-urlencoded).");
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(ct);
        }
        catch (InvalidDataException ex)
        {
            return Refuse(400, $"The form could not be read: {ex.Message}");
        }
        var encoded = form["SAMLResponse"].ToString();
        var relayState = form["RelayState"].ToString();
        if (encoded.Length == 0) return Refuse(400, "The form has no SAMLResponse field.");
        if (encoded.Length > MaxResponseLength) return Refuse(413, $"The SAMLResponse is longer than {MaxResponseLength} characters.");

        if (await store.GetAsync(orgId, ct) is not { } settings || await grains.GetAsync(orgId, ct) is not { } grain)
            return Refuse(404, $"Organisation '{orgId}' has no SAML sign-in configured.");
        if (await grain.RequireFeatureAsync(Features.Sso, "SAML sign-in") is not null)
            return Refuse(403, $"SAML sign-in needs the feature '{Features.Sso}', which organisation '{orgId}' does not have now.");

        var now = clock.GetUtcNow();
        SamlAssertion assertion;
        var keys = SamlCertificates.Keys(settings.IdpCertificates);
        try
        {
            var bytes = new byte[encoded.Length];
            if (!Convert.TryFromBase64String(encoded, bytes, out var length)) return Refuse(400, "The SAMLResponse is not base64.");
            var document = SamlXml.Load(bytes[..length]);
            assertion = SamlResponseValidator.Validate(document, settings, keys, sp.EntityId(orgId), sp.AcsUrl(orgId), now);
        }
        catch (SamlRefusedException ex)
        {
            return Refuse(ex.Status, ex.Message);
        }
        catch (XmlException ex)
        {
            // DTDs (and so external entities) are refused by the parser; this is where such a payload ends.
            return Refuse(400, $"The SAMLResponse is not acceptable XML: {ex.Message}");
        }
        catch (CryptographicException ex)
        {
            return Refuse(400, $"The SAMLResponse's signature could not be read: {ex.Message}");
        }
        finally
        {
            foreach (var key in keys) key.Dispose();
        }

        string returnTo;
        if (assertion.InResponseTo is { } requestId)
        {
            if (await store.ConsumeRequestAsync(orgId, requestId, now, ct) is not { } pending)
                return Refuse(403, "InResponseTo names no pending sign-in of this organisation (unknown, expired or already used): start again from the sign-in page.");
            returnTo = pending.ReturnTo;
        }
        else
        {
            if (!settings.AllowIdpInitiated)
                return Refuse(403, "The response answers no request (IdP-initiated), and this organisation does not allow IdP-initiated sign-in: start from the sign-in page, or set allowIdpInitiated.");
            returnTo = ReturnTo.IsSafe(relayState) ? relayState : ReturnTo.Default;
        }
        if (!await store.RecordAssertionAsync(orgId, assertion.AssertionId, assertion.KeepUntil, ct))
            return Refuse(403, $"Assertion '{assertion.AssertionId}' was used before: a SAML assertion signs in once.");

        if (Email(assertion, settings) is not { } email)
            return Refuse(400, settings.EmailAttribute is null
                ? "The NameID is not an e-mail address: send it in the emailAddress format, or set emailAttribute to the attribute that carries it."
                : $"The assertion has no attribute '{settings.EmailAttribute}' with an e-mail address (emailAttribute).");
        var groups = settings.RolesAttribute is { } rolesAttribute ? assertion.Attributes.GetValueOrDefault(rolesAttribute) ?? [] : [];

        SamlLog.Accepted(logger, orgId, assertion.AssertionId);
        var identity = new ExternalIdentity(orgId, "saml", assertion.NameId, email, null, groups);
        var outcome = await signIn.SignInAsync(identity, new ProvisioningPolicy(settings.JitProvisioning, settings.DefaultRole, settings.GroupRoles), ct);
        return signIn.Complete(http, outcome, returnTo);
    }

    private static string? Email(SamlAssertion assertion, SamlSettings settings)
    {
        var candidate = settings.EmailAttribute is { } attribute
            ? assertion.Attributes.GetValueOrDefault(attribute)?.FirstOrDefault()
            : assertion.NameIdFormat == SamlXml.EmailNameIdFormat ? assertion.NameId : null;
        return candidate is { Length: > 2 and <= 254 } && candidate.IndexOf('@') is > 0 and var at && at < candidate.Length - 1 && !candidate.Any(char.IsWhiteSpace)
            ? candidate
            : null;
    }
}
