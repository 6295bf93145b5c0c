using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Xml;

namespace Taskee.Api.Identity.Saml;

/// <summary>The XML this node sends: SP metadata and AuthnRequests.</summary>
public static class SamlMessages
{
    /// <summary>A fresh AuthnRequest ID: an xs:ID (NCName, so not starting with a digit) of 128 random bits.</summary>
    public static string NewRequestId() => "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// The SP's metadata: who it is, where the IdP posts (ACS, HTTP-POST), that it wants assertions signed, and the
    /// NameID formats it reads. Not signed: the admin copies it over HTTPS from their own node.
    /// </summary>
    public static string Metadata(string entityId, string acsUrl)
    {
        var builder = new StringBuilder();
        using (var writer = XmlWriter.Create(builder, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = true }))
        {
            writer.WriteStartElement("md", "EntityDescriptor", SamlXml.MetadataNs);
            writer.WriteAttributeString("entityID", entityId);
            writer.WriteStartElement("md", "SPSSODescriptor", SamlXml.MetadataNs);
            writer.WriteAttributeString("AuthnRequestsSigned", "false");
            writer.WriteAttributeString("WantAssertionsSigned", "true");
            writer.WriteAttributeString("protocolSupportEnumeration", SamlXml.ProtocolNs);
            foreach (var format in (string[])[SamlXml.EmailNameIdFormat, SamlXml.PersistentNameIdFormat, SamlXml.UnspecifiedNameIdFormat])
                writer.WriteElementString("md", "NameIDFormat", SamlXml.MetadataNs, format);
            writer.WriteStartElement("md", "AssertionConsumerService", SamlXml.MetadataNs);
            writer.WriteAttributeString("Binding", SamlXml.HttpPostBinding);
            writer.WriteAttributeString("Location", acsUrl);
            writer.WriteAttributeString("index", "0");
            writer.WriteAttributeString("isDefault", "true");
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
        return builder.ToString();
    }

    public static string AuthnRequest(string requestId, string entityId, string acsUrl, string idpSsoUrl, DateTimeOffset now)
    {
        var builder = new StringBuilder();
        using (var writer = XmlWriter.Create(builder, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            writer.WriteStartElement("samlp", "AuthnRequest", SamlXml.ProtocolNs);
            writer.WriteAttributeString("ID", requestId);
            writer.WriteAttributeString("Version", "2.0");
            writer.WriteAttributeString("IssueInstant", XmlConvert.ToString(now.UtcDateTime, XmlDateTimeSerializationMode.Utc));
            writer.WriteAttributeString("Destination", idpSsoUrl);
            writer.WriteAttributeString("AssertionConsumerServiceURL", acsUrl);
            writer.WriteAttributeString("ProtocolBinding", SamlXml.HttpPostBinding);
            writer.WriteElementString("saml", "Issuer", SamlXml.AssertionNs, entityId);
            writer.WriteStartElement("samlp", "NameIDPolicy", SamlXml.ProtocolNs);
            writer.WriteAttributeString("Format", SamlXml.UnspecifiedNameIdFormat);
            writer.WriteAttributeString("AllowCreate", "true");
            writer.WriteEndElement();
            writer.WriteEndElement();
        }
        return builder.ToString();
    }

    /// <summary>HTTP-Redirect binding (SAML bindings 3.4.4.1): raw DEFLATE, base64, URL-encoded, RelayState beside it.</summary>
    public static string RedirectUrl(string idpSsoUrl, string authnRequest, string relayState)
    {
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            deflate.Write(Encoding.UTF8.GetBytes(authnRequest));
        var encoded = Uri.EscapeDataString(Convert.ToBase64String(buffer.ToArray()));
        var separator = idpSsoUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return $"{idpSsoUrl}{separator}SAMLRequest={encoded}&RelayState={Uri.EscapeDataString(relayState)}";
    }
}
