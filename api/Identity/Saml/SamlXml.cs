using System.Security.Cryptography.Xml;
using System.Xml;

namespace Taskee.Api.Identity.Saml;

/// <summary>SAML names, and the one way this node reads XML it was sent.</summary>
internal static class SamlXml
{
    public const string AssertionNs = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string ProtocolNs = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string MetadataNs = "urn:oasis:names:tc:SAML:2.0:metadata";
    public const string DsigNs = SignedXml.XmlDsigNamespaceUrl;

    public const string StatusSuccess = "urn:oasis:names:tc:SAML:2.0:status:Success";
    public const string BearerMethod = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
    public const string HttpPostBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
    public const string HttpRedirectBinding = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
    public const string EmailNameIdFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
    public const string PersistentNameIdFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
    public const string UnspecifiedNameIdFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";

    /// <summary>Largest response document read, in characters; IdP responses with many groups stay far below.</summary>
    public const int MaxDocumentCharacters = 1_000_000;

    /// <summary>
    /// Parses untrusted XML: a DTD is an error (no entity expansion, no XXE), nothing is ever fetched (no resolver),
    /// and the size is bounded. Whitespace is kept, since signatures are computed over it.
    /// </summary>
    public static XmlDocument Load(byte[] xml)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxDocumentCharacters,
            MaxCharactersFromEntities = 0,
            IgnoreProcessingInstructions = true,
        };
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        using var stream = new MemoryStream(xml, writable: false);
        using var reader = XmlReader.Create(stream, settings);
        document.Load(reader);
        return document;
    }

    /// <summary>Every element of that name in the namespace, anywhere in the document.</summary>
    public static List<XmlElement> All(XmlDocument document, string ns, string localName) =>
        document.GetElementsByTagName(localName, ns).OfType<XmlElement>().ToList();

    /// <summary>The direct children of that name (never descendants: a nested element is not the one the schema means).</summary>
    public static List<XmlElement> Children(XmlElement parent, string ns, string localName) =>
        parent.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == localName && e.NamespaceURI == ns).ToList();
}

/// <summary>
/// <see cref="SignedXml"/> whose references resolve only to an element that is alone in the document with that ID:
/// a duplicate ID (the classic way to point the signature at one element while the reader uses another) resolves to
/// nothing, so the signature does not verify.
/// </summary>
internal sealed class UniqueIdSignedXml(XmlDocument document) : SignedXml(document)
{
    public override XmlElement? GetIdElement(XmlDocument? document, string idValue) => FindUnique(document, idValue);

    public static XmlElement? FindUnique(XmlDocument? document, string idValue)
    {
        if (document is null || string.IsNullOrEmpty(idValue)) return null;
        XmlElement? found = null;
        foreach (var element in document.GetElementsByTagName("*").OfType<XmlElement>())
        {
            // The attribute names SignedXml itself accepts as ids; any of them on two elements is ambiguous.
            foreach (var name in (string[])["ID", "Id", "id"])
            {
                if (element.GetAttribute(name) != idValue) continue;
                if (found is not null && !ReferenceEquals(found, element)) return null;
                found = element;
            }
        }
        return found;
    }
}
