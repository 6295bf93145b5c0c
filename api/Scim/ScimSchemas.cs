namespace Taskee.Api.Scim;

/// <summary>Schema URNs and media type of SCIM 2.0 (RFC 7643, RFC 7644).</summary>
public static class ScimSchemas
{
    public const string MediaType = "application/scim+json";
    public const string User = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string Group = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public const string EnterpriseUser = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public const string Error = "urn:ietf:params:scim:api:messages:2.0:Error";
    public const string ListResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    public const string PatchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public const string ServiceProviderConfig = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
    public const string ResourceType = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
    public const string Schema = "urn:ietf:params:scim:schemas:core:2.0:Schema";

    /// <summary>Default and maximum page size of a list (stated in ServiceProviderConfig as filter.maxResults).</summary>
    public const int MaxResults = 100;
}

/// <summary>The <c>scimType</c> values of RFC 7644 3.12 this service answers with.</summary>
public static class ScimType
{
    public const string InvalidFilter = "invalidFilter";
    public const string Uniqueness = "uniqueness";
    public const string InvalidSyntax = "invalidSyntax";
    public const string InvalidPath = "invalidPath";
    public const string NoTarget = "noTarget";
    public const string InvalidValue = "invalidValue";
    public const string Mutability = "mutability";
    public const string TooMany = "tooMany";
}
