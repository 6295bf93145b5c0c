using System.Text.Json.Nodes;
using Taskee.Api.Scim.Filters;

namespace Taskee.Tests.Scim;

/// <summary>The filter parser and evaluator against one user, table-driven: every operator, the logic, value paths, case rules.</summary>
public sealed class ScimFilterTests
{
    private static readonly JsonNode User = JsonNode.Parse("""
        {
          "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
          "id": "2819c223-7f76-453a-919d-413861904646",
          "externalId": "Ext-42",
          "userName": "Bjensen@Example.com",
          "name": { "givenName": "Barbara", "familyName": "Jensen", "formatted": "Ms. Barbara J Jensen III" },
          "displayName": "Babs Jensen",
          "emails": [
            { "value": "bjensen@example.com", "type": "work", "primary": true },
            { "value": "babs@jensen.org", "type": "home", "primary": false }
          ],
          "active": true,
          "groups": [],
          "meta": { "resourceType": "User", "created": "2026-01-10T09:00:00.000Z", "lastModified": "2026-03-01T12:30:00.000Z", "version": "W/\"3\"" }
        }
        """)!;

    public static TheoryData<string, bool> Cases => new()
    {
        // eq, with the case rules of RFC 7643: userName and e-mails caseExact false, id and externalId caseExact true
        { "userName eq \"bjensen@example.com\"", true },
        { "USERNAME EQ \"BJENSEN@EXAMPLE.COM\"", true },
        { "userName eq \"someone@example.com\"", false },
        { "externalId eq \"Ext-42\"", true },
        { "externalId eq \"ext-42\"", false },
        { "id eq \"2819C223-7F76-453A-919D-413861904646\"", false },
        { "id eq \"2819c223-7f76-453a-919d-413861904646\"", true },
        { "active eq true", true },
        { "active eq false", false },
        { "displayName eq null", false },
        { "nickName eq null", true },
        // ne
        { "userName ne \"bjensen@example.com\"", false },
        { "userName ne \"x@example.com\"", true },
        { "nickName ne \"x\"", true },
        // co, sw, ew
        { "name.familyName co \"ense\"", true },
        { "name.familyName co \"ENSE\"", true },
        { "userName sw \"bjen\"", true },
        { "userName sw \"jen\"", false },
        { "userName ew \"EXAMPLE.com\"", true },
        { "displayName ew \"Babs\"", false },
        // pr
        { "title pr", false },
        { "name.givenName pr", true },
        { "emails pr", true },
        { "groups pr", false },
        // gt, ge, lt, le on dates and strings
        { "meta.lastModified gt \"2026-02-01T00:00:00Z\"", true },
        { "meta.lastModified gt \"2026-03-01T12:30:00Z\"", false },
        { "meta.lastModified ge \"2026-03-01T12:30:00Z\"", true },
        { "meta.lastModified lt \"2026-03-01T12:30:00Z\"", false },
        { "meta.lastModified le \"2026-03-01T12:30:00.000Z\"", true },
        { "meta.created lt \"2026-01-10T10:00:00+01:00\"", false },
        { "meta.created eq \"2026-01-10T10:00:00+01:00\"", true },
        { "userName gt \"a\"", true },
        { "userName lt \"a\"", false },
        // and, or, not, parentheses, precedence
        { "userName sw \"b\" and active eq true", true },
        { "userName sw \"b\" and active eq false", false },
        { "userName sw \"x\" or active eq true", true },
        { "userName sw \"x\" or active eq false", false },
        { "not (active eq false)", true },
        { "not (userName pr)", false },
        { "active eq false and userName pr or displayName co \"babs\"", true },
        { "active eq false and (userName pr or displayName co \"babs\")", false },
        { "(userName eq \"x\" or userName eq \"bjensen@example.com\") and not (emails[type eq \"other\"])", true },
        // value paths
        { "emails[type eq \"work\"]", true },
        { "emails[type eq \"work\" and value co \"@example.com\"]", true },
        { "emails[type eq \"home\" and value co \"@example.com\"]", false },
        { "emails[type eq \"work\"].value eq \"BJENSEN@example.com\"", true },
        { "emails[type eq \"home\"].value ew \".org\"", true },
        { "emails[primary eq true].value sw \"babs\"", false },
        { "emails.value eq \"babs@jensen.org\"", true },
        { "emails eq \"babs@jensen.org\"", true },
        { "emails.type eq \"other\"", false },
        // schema URN prefixes
        { "urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"bjensen@example.com\"", true },
        { "urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq \"barbara\"", true },
        // string escapes
        { "name.formatted eq \"Ms. Barbara J Jensen III\"", true },
        { "displayName eq \"Babs \\u004aensen\"", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_filter_matches_exactly_when_the_rfc_says_it_does(string filter, bool expected) =>
        Assert.Equal(expected, ScimFilterEvaluator.Matches(User, ScimFilterParser.Parse(filter)));

    public static TheoryData<string> Unparsable => new()
    {
        "",
        "userName",
        "userName eq",
        "userName equals \"x\"",
        "userName eq 'single quotes'",
        "userName eq \"unterminated",
        "(userName eq \"x\"",
        "userName eq \"x\")",
        "userName eq \"x\" and",
        "userName eq \"x\" userName eq \"y\"",
        "not userName eq \"x\"",
        "emails[type eq \"work\"",
        "emails[type eq \"work\"].",
        "emails[addresses[type eq \"work\"]]",
        "name.givenName.first eq \"x\"",
        "1userName eq \"x\"",
        "active gt true",
        "userName co 5",
        "title gt null",
        "meta.lastModified gt \"yesterday\"",
        "meta.created eq 5",
        "userName eq \"x\" and " + string.Join(" and ", Enumerable.Repeat("(", 40)) + "active eq true" + new string(')', 40),
        new string('x', 5000),
    };

    [Theory]
    [MemberData(nameof(Unparsable))]
    public void A_filter_that_cannot_be_parsed_is_refused_with_a_reason(string filter)
    {
        var error = Assert.Throws<ScimFilterException>(() => ScimFilterParser.Parse(filter));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void A_patch_path_parses_attribute_sub_attribute_and_value_filter()
    {
        var path = ScimFilterParser.ParsePath("emails[type eq \"work\"].value");
        Assert.Equal("emails", path.Attribute);
        Assert.Equal("value", path.SubAttribute);
        Assert.IsType<ScimCompare>(path.Filter);
        Assert.Equal("name.givenname", ScimFilterParser.ParsePath("urn:ietf:params:scim:schemas:core:2.0:User:name.givenName").Name);
        Assert.Throws<ScimFilterException>(() => ScimFilterParser.ParsePath("members[value eq \"x\"] and"));
    }
}
