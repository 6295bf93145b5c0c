using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Xml;
using Taskee.Grains.Storage;

namespace Taskee.Api.Identity.Saml;

/// <summary>What a valid assertion said, read from the one element its signature covers.</summary>
/// <param name="InResponseTo">The AuthnRequest answered; null for an IdP-initiated sign-in.</param>
/// <param name="KeepUntil">Until when its ID must be remembered: after that it is expired anyway.</param>
public sealed record SamlAssertion(
    string AssertionId, string? InResponseTo, string NameId, string? NameIdFormat,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes, DateTimeOffset KeepUntil);

/// <summary>Why a response was refused: the status to answer and a reason an admin can act on.</summary>
public sealed class SamlRefusedException(int status, string reason) : Exception(reason)
{
    public int Status { get; } = status;
}

/// <summary>
/// Checks a SAML Response against an organisation's settings, as a pure function of the document, the settings, this
/// SP and the time. Refusals throw <see cref="SamlRefusedException"/>. What is checked, in order, and why is in
/// docs/adr/0007-saml-on-signedxml.md; the rule that stops signature wrapping (XSW) is: one Assertion in the whole
/// document, and the element read is the one the verified signature's only reference resolves to.
/// </summary>
public static class SamlResponseValidator
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    private static readonly HashSet<string> SignatureMethods = new(StringComparer.Ordinal)
    {
        SignedXml.XmlDsigRSASHA256Url, SignedXml.XmlDsigRSASHA384Url, SignedXml.XmlDsigRSASHA512Url,
    };

    private static readonly HashSet<string> DigestMethods = new(StringComparer.Ordinal)
    {
        SignedXml.XmlDsigSHA256Url, SignedXml.XmlDsigSHA384Url, SignedXml.XmlDsigSHA512Url,
    };

    private static readonly HashSet<string> Transforms = new(StringComparer.Ordinal)
    {
        SignedXml.XmlDsigEnvelopedSignatureTransformUrl, SignedXml.XmlDsigExcC14NTransformUrl,
    };

    public static SamlAssertion Validate(XmlDocument document, SamlSettings settings, IReadOnlyList<RSA> keys, string spEntityId, string acsUrl, DateTimeOffset now)
    {
        var response = document.DocumentElement;
        if (response is not { LocalName: "Response", NamespaceURI: SamlXml.ProtocolNs })
            throw Malformed("the document is not a SAML 2.0 Response (samlp:Response).");

        if (SamlXml.All(document, SamlXml.AssertionNs, "EncryptedAssertion").Count > 0)
            throw Malformed("encrypted assertions are not supported: turn off assertion encryption at the identity provider; HTTPS protects the response.");
        var assertions = SamlXml.All(document, SamlXml.AssertionNs, "Assertion");
        if (assertions.Count != 1)
            throw Untrusted($"the document holds {assertions.Count} Assertion elements; exactly one is accepted.");
        var assertion = assertions[0];
        if (!ReferenceEquals(assertion.ParentNode, response))
            throw Untrusted("the Assertion is not a direct child of the Response.");

        VerifySignatures(document, response, assertion, keys);

        // From here on, everything is read from the signed assertion (or the signed response that is its parent).
        var status = Single(response, SamlXml.ProtocolNs, "Status", required: true)!;
        var code = Single(status, SamlXml.ProtocolNs, "StatusCode", required: true)!.GetAttribute("Value");
        if (code != SamlXml.StatusSuccess)
            throw Untrusted($"the identity provider answered status '{code}', not Success: the person was not signed in there.");

        if (response.GetAttribute("Destination") is var destination && destination != acsUrl)
            throw Untrusted($"the Response's Destination '{destination}' is not this ACS '{acsUrl}'.");
        if (Single(response, SamlXml.AssertionNs, "Issuer", required: false) is { } responseIssuer && responseIssuer.InnerText.Trim() != settings.IdpEntityId)
            throw Untrusted($"the Response's Issuer is not the configured idpEntityId '{settings.IdpEntityId}'.");
        var issuer = Single(assertion, SamlXml.AssertionNs, "Issuer", required: true)!.InnerText.Trim();
        if (issuer != settings.IdpEntityId)
            throw Untrusted($"the Assertion's Issuer '{issuer}' is not the configured idpEntityId '{settings.IdpEntityId}'.");

        var assertionId = assertion.GetAttribute("ID");
        if (assertionId.Length == 0) throw Malformed("the Assertion has no ID.");

        var conditions = Single(assertion, SamlXml.AssertionNs, "Conditions", required: true)!;
        var conditionsEnd = CheckWindow(conditions, "Conditions", now, requireEnd: false);
        var audiences = SamlXml.Children(conditions, SamlXml.AssertionNs, "AudienceRestriction");
        if (audiences.Count == 0) throw Untrusted("the Assertion has no AudienceRestriction; this SP's entity id must be named in one.");
        // Each AudienceRestriction must be met (SAML core 2.5.1.4): every one of them names this SP.
        foreach (var restriction in audiences)
            if (!SamlXml.Children(restriction, SamlXml.AssertionNs, "Audience").Any(a => a.InnerText.Trim() == spEntityId))
                throw Untrusted($"the Assertion's Audience is not this SP's entity id '{spEntityId}'.");

        var subject = Single(assertion, SamlXml.AssertionNs, "Subject", required: true)!;
        var nameId = Single(subject, SamlXml.AssertionNs, "NameID", required: true)!;
        if (nameId.InnerText.Trim() is not { Length: > 0 and <= 512 } subjectId) throw Malformed("the NameID is empty or too long.");
        var bearer = SamlXml.Children(subject, SamlXml.AssertionNs, "SubjectConfirmation").Where(c => c.GetAttribute("Method") == SamlXml.BearerMethod).ToList();
        if (bearer.Count != 1) throw Untrusted($"the Subject has {bearer.Count} bearer SubjectConfirmations; exactly one is accepted.");
        var confirmation = Single(bearer[0], SamlXml.AssertionNs, "SubjectConfirmationData", required: true)!;
        if (confirmation.GetAttribute("Recipient") is var recipient && recipient != acsUrl)
            throw Untrusted($"the SubjectConfirmationData's Recipient '{recipient}' is not this ACS '{acsUrl}'.");
        var confirmationEnd = CheckWindow(confirmation, "SubjectConfirmationData", now, requireEnd: true);

        var inResponseTo = NullIfEmpty(response.GetAttribute("InResponseTo"));
        var confirmationInResponseTo = NullIfEmpty(confirmation.GetAttribute("InResponseTo"));
        if (confirmationInResponseTo is not null && inResponseTo is not null && confirmationInResponseTo != inResponseTo)
            throw Untrusted("the Response and its SubjectConfirmationData answer different requests (InResponseTo).");

        var keepUntil = (conditionsEnd is { } c && c > confirmationEnd!.Value ? c : confirmationEnd!.Value) + ClockSkew;
        return new SamlAssertion(assertionId, inResponseTo ?? confirmationInResponseTo, subjectId, NullIfEmpty(nameId.GetAttribute("Format")),
            ReadAttributes(assertion), keepUntil);
    }

    /// <summary>
    /// Every signature sits on the Assertion or on the Response, has one reference to the element it sits on, uses only
    /// the allowed algorithms and verifies with a configured key (the document's KeyInfo is ignored). At least one is
    /// required. The Response may be what is signed only because the one Assertion is its direct child.
    /// </summary>
    private static void VerifySignatures(XmlDocument document, XmlElement response, XmlElement assertion, IReadOnlyList<RSA> keys)
    {
        var signatures = SamlXml.All(document, SamlXml.DsigNs, "Signature");
        if (signatures.Count == 0) throw Untrusted("the response is not signed; the identity provider must sign the assertion (or the response).");
        foreach (var signature in signatures)
        {
            var signed = signature.ParentNode as XmlElement;
            if (!ReferenceEquals(signed, assertion) && !ReferenceEquals(signed, response))
                throw Untrusted("a Signature sits somewhere other than on the Assertion or the Response.");

            var xml = new UniqueIdSignedXml(document);
            xml.LoadXml(signature);
            var info = xml.SignedInfo!;
            if (info.CanonicalizationMethod != SignedXml.XmlDsigExcC14NTransformUrl)
                throw Untrusted($"canonicalization '{info.CanonicalizationMethod}' is not accepted; use exclusive c14n.");
            if (info.SignatureMethod is not { } method || !SignatureMethods.Contains(method))
                throw Untrusted($"signature algorithm '{info.SignatureMethod}' is not accepted; use RSA-SHA256 or stronger (SHA-1 is refused).");
            if (info.References.Count != 1 || info.References[0] is not Reference reference)
                throw Untrusted($"the Signature has {info.References.Count} references; exactly one, to the signed element, is accepted.");
            if (reference.DigestMethod is not { } digest || !DigestMethods.Contains(digest))
                throw Untrusted($"digest algorithm '{reference.DigestMethod}' is not accepted; use SHA-256 or stronger.");
            var chain = reference.TransformChain;
            var transforms = Enumerable.Range(0, chain.Count).Select(i => chain[i].Algorithm).ToList();
            if (transforms.Any(t => t is null || !Transforms.Contains(t)) || !transforms.Contains(SignedXml.XmlDsigEnvelopedSignatureTransformUrl))
                throw Untrusted("the Signature's transforms are not the enveloped-signature and exclusive c14n ones.");

            var id = signed!.GetAttribute("ID");
            if (id.Length == 0 || reference.Uri != "#" + id)
                throw Untrusted("the Signature's reference does not point to the element it sits on.");
            if (!ReferenceEquals(UniqueIdSignedXml.FindUnique(document, id), signed))
                throw Untrusted($"the ID '{id}' is not unique in the document.");
            if (!keys.Any(xml.CheckSignature))
                throw Untrusted("the signature does not verify with the configured idpCertificates (tampered, or signed with another key).");
        }
    }

    /// <summary>NotBefore/NotOnOrAfter with <see cref="ClockSkew"/>; returns NotOnOrAfter.</summary>
    private static DateTimeOffset? CheckWindow(XmlElement element, string what, DateTimeOffset now, bool requireEnd)
    {
        var notBefore = Time(element, "NotBefore");
        var notOnOrAfter = Time(element, "NotOnOrAfter");
        if (requireEnd && notOnOrAfter is null) throw Malformed($"{what} has no NotOnOrAfter.");
        if (notBefore is { } start && now + ClockSkew < start)
            throw Untrusted($"{what} is not valid yet (NotBefore {start:O}); check the clocks of the identity provider and this node.");
        if (notOnOrAfter is { } end && now - ClockSkew >= end)
            throw Untrusted($"{what} has expired (NotOnOrAfter {end:O}).");
        return notOnOrAfter;
    }

    private static DateTimeOffset? Time(XmlElement element, string attribute)
    {
        var text = element.GetAttribute(attribute);
        if (text.Length == 0) return null;
        try
        {
            return XmlConvert.ToDateTimeOffset(text);
        }
        catch (FormatException)
        {
            throw Malformed($"{element.LocalName}@{attribute} '{text}' is not an xs:dateTime.");
        }
    }

    private static Dictionary<string, IReadOnlyList<string>> ReadAttributes(XmlElement assertion)
    {
        var attributes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var statement in SamlXml.Children(assertion, SamlXml.AssertionNs, "AttributeStatement"))
        foreach (var attribute in SamlXml.Children(statement, SamlXml.AssertionNs, "Attribute"))
        {
            var values = SamlXml.Children(attribute, SamlXml.AssertionNs, "AttributeValue").Select(v => v.InnerText.Trim()).Where(v => v.Length > 0).ToList();
            // Looked up by Name (what Entra ID and Okta key on) or FriendlyName (what some admins type).
            foreach (var name in new[] { attribute.GetAttribute("Name"), attribute.GetAttribute("FriendlyName") }.Where(n => n.Length > 0).Distinct())
                attributes[name] = attributes.TryGetValue(name, out var existing) ? [.. existing, .. values] : values;
        }
        return attributes;
    }

    private static XmlElement? Single(XmlElement parent, string ns, string name, bool required)
    {
        var children = SamlXml.Children(parent, ns, name);
        if (children.Count > 1) throw Untrusted($"{parent.LocalName} has {children.Count} {name} elements; one is accepted.");
        if (required && children.Count == 0) throw Malformed($"{parent.LocalName} has no {name}.");
        return children.FirstOrDefault();
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static SamlRefusedException Malformed(string reason) => new(400, reason);

    private static SamlRefusedException Untrusted(string reason) => new(403, reason);
}
