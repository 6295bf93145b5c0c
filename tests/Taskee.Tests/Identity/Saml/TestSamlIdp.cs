using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;

namespace Taskee.Tests.Identity.Saml;

/// <summary>What a response says; every field defaults to what a correct IdP sends to <see cref="Acs"/>.</summary>
public sealed record SamlResponseSpec(string Issuer, string Acs, string Audience)
{
    public string ResponseId { get; init; } = NewId();
    public string AssertionId { get; init; } = NewId();
    public string? InResponseTo { get; init; }
    public string NameId { get; init; } = $"{Guid.NewGuid():N}@people.example";
    public string NameIdFormat { get; init; } = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
    public string? Destination { get; init; }
    public string? Recipient { get; init; }
    public string Status { get; init; } = "urn:oasis:names:tc:SAML:2.0:status:Success";
    public DateTimeOffset NotBefore { get; init; } = DateTimeOffset.UtcNow.AddMinutes(-1);
    public DateTimeOffset NotOnOrAfter { get; init; } = DateTimeOffset.UtcNow.AddMinutes(5);
    public IReadOnlyDictionary<string, string[]> Attributes { get; init; } = new Dictionary<string, string[]>();

    public static string NewId() => "_" + Guid.NewGuid().ToString("N");
}

/// <summary>
/// An identity provider of the tests' own, on <see cref="SignedXml"/>: a self-signed RSA certificate, responses built
/// as an IdP builds them, signed on the assertion or on the response, and the tools to turn a valid one into an attack.
/// </summary>
public sealed class TestSamlIdp : IDisposable
{
    public const string Saml = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string Samlp = "urn:oasis:names:tc:SAML:2.0:protocol";

    public TestSamlIdp(string entityId, int keyBits = 2048)
    {
        EntityId = entityId;
        Key = RSA.Create(keyBits);
        var request = new CertificateRequest($"CN={new Uri(entityId).Host}", Key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    public string EntityId { get; }

    public RSA Key { get; }

    public X509Certificate2 Certificate { get; }

    public string CertificatePem => Certificate.ExportCertificatePem();

    public SamlResponseSpec Spec(string acs, string audience) => new(EntityId, acs, audience);

    /// <summary>The response, unsigned: samlp:Response / saml:Issuer, samlp:Status, saml:Assertion.</summary>
    public static XmlDocument Build(SamlResponseSpec s)
    {
        var now = DateTimeOffset.UtcNow;
        var attributes = string.Concat(s.Attributes.Select(a =>
            $"""<saml:Attribute Name="{Escape(a.Key)}">{string.Concat(a.Value.Select(v => $"<saml:AttributeValue>{Escape(v)}</saml:AttributeValue>"))}</saml:Attribute>"""));
        var inResponseTo = s.InResponseTo is null ? "" : $""" InResponseTo="{s.InResponseTo}" """;
        var xml = $"""
            <samlp:Response xmlns:samlp="{Samlp}" xmlns:saml="{Saml}" ID="{s.ResponseId}" Version="2.0" IssueInstant="{Time(now)}" Destination="{Escape(s.Destination ?? s.Acs)}"{inResponseTo}>
              <saml:Issuer>{Escape(s.Issuer)}</saml:Issuer>
              <samlp:Status><samlp:StatusCode Value="{s.Status}"/></samlp:Status>
              <saml:Assertion ID="{s.AssertionId}" Version="2.0" IssueInstant="{Time(now)}">
                <saml:Issuer>{Escape(s.Issuer)}</saml:Issuer>
                <saml:Subject>
                  <saml:NameID Format="{s.NameIdFormat}">{Escape(s.NameId)}</saml:NameID>
                  <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
                    <saml:SubjectConfirmationData NotOnOrAfter="{Time(s.NotOnOrAfter)}" Recipient="{Escape(s.Recipient ?? s.Acs)}"{inResponseTo}/>
                  </saml:SubjectConfirmation>
                </saml:Subject>
                <saml:Conditions NotBefore="{Time(s.NotBefore)}" NotOnOrAfter="{Time(s.NotOnOrAfter)}">
                  <saml:AudienceRestriction><saml:Audience>{Escape(s.Audience)}</saml:Audience></saml:AudienceRestriction>
                </saml:Conditions>
                <saml:AuthnStatement AuthnInstant="{Time(now)}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>
                <saml:AttributeStatement>{attributes}</saml:AttributeStatement>
              </saml:Assertion>
            </samlp:Response>
            """;
        var document = new XmlDocument { PreserveWhitespace = true };
        document.LoadXml(xml);
        return document;
    }

    /// <summary>A response whose assertion this IdP signed (what Entra ID, Google and Okta send by default).</summary>
    public XmlDocument SignedAssertion(SamlResponseSpec spec)
    {
        var document = Build(spec);
        Sign(Assertion(document), Key, Certificate);
        return document;
    }

    /// <summary>A response this IdP signed as a whole, its assertion unsigned.</summary>
    public XmlDocument SignedResponse(SamlResponseSpec spec)
    {
        var document = Build(spec);
        Sign(document.DocumentElement!, Key, Certificate);
        return document;
    }

    /// <summary>Signs <paramref name="element"/> (enveloped, exc-c14n), placing the signature after its Issuer as the schema wants.</summary>
    public static XmlElement Sign(XmlElement element, RSA key, X509Certificate2? certificate,
        string signatureMethod = SignedXml.XmlDsigRSASHA256Url, string digestMethod = SignedXml.XmlDsigSHA256Url)
    {
        var signed = new SignedXml(element.OwnerDocument) { SigningKey = key };
        signed.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signed.SignedInfo.SignatureMethod = signatureMethod;
        var reference = new Reference("#" + element.GetAttribute("ID")) { DigestMethod = digestMethod };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signed.AddReference(reference);
        if (certificate is not null)
        {
            var info = new KeyInfo();
            info.AddClause(new KeyInfoX509Data(certificate));
            signed.KeyInfo = info;
        }
        signed.ComputeSignature();
        var signature = (XmlElement)element.OwnerDocument.ImportNode(signed.GetXml(), true);
        var issuer = element.ChildNodes.OfType<XmlElement>().First(e => e.LocalName == "Issuer");
        element.InsertAfter(signature, issuer);
        return signature;
    }

    public static XmlElement Assertion(XmlDocument document) =>
        document.GetElementsByTagName("Assertion", Saml).OfType<XmlElement>().First();

    public static XmlElement NameId(XmlElement assertion) =>
        assertion.GetElementsByTagName("NameID", Saml).OfType<XmlElement>().First();

    /// <summary>The form field: the document's bytes, base64 (the HTTP-POST binding).</summary>
    public static string Encode(XmlDocument document) => Encode(document.OuterXml);

    public static string Encode(string xml) => Convert.ToBase64String(Encoding.UTF8.GetBytes(xml));

    private static string Time(DateTimeOffset t) => XmlConvert.ToString(t.UtcDateTime, XmlDateTimeSerializationMode.Utc);

    private static string Escape(string value) => System.Security.SecurityElement.Escape(value)!;

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }
}
