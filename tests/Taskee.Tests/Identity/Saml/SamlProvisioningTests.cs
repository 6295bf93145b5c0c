using System.Net;
using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Identity.Saml;

/// <summary>
/// What a valid assertion comes to under the organisation's SAML settings (<c>groupRoles</c>, <c>defaultRole</c>,
/// <c>jitProvisioning</c>) and its seats: the policy the settings give the sign-in, seen through the real node.
/// </summary>
public sealed class SamlProvisioningTests(SamlNodeFixture fixture) : IClassFixture<SamlNodeFixture>
{
    private static SamlResponseSpec As(SamlTestOrg org, string email, params string[] groups) =>
        org.Spec() with { NameId = email, Attributes = new Dictionary<string, string[]> { ["groups"] = groups } };

    [Fact]
    public async Task Group_roles_and_the_default_role_of_the_saml_settings_decide_the_role_of_a_jit_member()
    {
        using var org = await SamlTestOrg.CreateAsync(fixture, extra: new
        {
            defaultRole = "auditor",
            groupRoles = new Dictionary<string, string> { ["Finance"] = "billing", ["IT"] = "admin" },
        });

        Assert.Equal(HttpStatusCode.OK, (await org.PostAsync(org.Idp.SignedAssertion(As(org, "fin@people.example", "finance", "everyone")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await org.PostAsync(org.Idp.SignedAssertion(As(org, "it@people.example", "Finance", "IT")))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await org.PostAsync(org.Idp.SignedAssertion(As(org, "any@people.example", "Everyone")))).StatusCode);

        var roles = (await fixture.MembersAsync(org.Id)).ToDictionary(m => m["email"]!.GetValue<string>(), m => m["role"]!.GetValue<string>());
        Assert.Equal("billing", roles["fin@people.example"]);
        Assert.Equal("admin", roles["it@people.example"]);
        Assert.Equal("auditor", roles["any@people.example"]);
        Assert.Equal(3, await fixture.SeatsUsedAsync(org.Id));
    }

    [Fact]
    public async Task An_existing_member_is_found_by_email_in_any_case_and_takes_no_second_seat()
    {
        using var org = await SamlTestOrg.CreateAsync(fixture);
        Assert.Equal(HttpStatusCode.OK, (await org.PostAsync(org.Idp.SignedAssertion(As(org, "Ada.Lovelace@People.example")))).StatusCode);
        var seats = await fixture.SeatsUsedAsync(org.Id);

        Assert.Equal(HttpStatusCode.OK, (await org.PostAsync(org.Idp.SignedAssertion(As(org, "ADA.LOVELACE@people.EXAMPLE")))).StatusCode);

        Assert.Single(await fixture.MembersAsync(org.Id));
        Assert.Equal(1, seats);
        Assert.Equal(seats, await fixture.SeatsUsedAsync(org.Id));
        Assert.Equal(2, (await fixture.SignInsAsync(org.Id)).Count);
    }

    [Fact]
    public async Task Without_jit_provisioning_an_unknown_email_is_refused_and_a_member_an_admin_added_signs_in()
    {
        using var org = await SamlTestOrg.CreateAsync(fixture, extra: new { jitProvisioning = false });

        var refused = await org.PostAsync(org.Idp.SignedAssertion(As(org, "stranger@people.example")));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        await org.AssertRefusedAsync(refused, "not a member");

        var added = await fixture.Admin().PostAsync($"/v1/organisations/{org.Id}/members", TestApi.Json(new { userId = "kim", email = "Kim@People.example", role = "auditor" }));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await org.PostAsync(org.Idp.SignedAssertion(As(org, "kim@people.example")))).StatusCode);
        Assert.Equal("kim", Assert.Single(await fixture.MembersAsync(org.Id))["userId"]!.GetValue<string>());
        Assert.Equal(1, await fixture.SeatsUsedAsync(org.Id));
        Assert.Equal("auditor", Assert.Single((await org.SingleSignInAsync())["roles"]!.AsArray())!.GetValue<string>());
    }

    [Fact]
    public async Task With_the_seats_full_a_new_person_is_refused_as_a_problem_or_a_page_and_nothing_is_provisioned()
    {
        using var org = await SamlTestOrg.CreateAsync(fixture);
        await fixture.Admin().SetLimitAsync(org.Id, "seats", 0);

        var problem = await org.PostAsync(org.Idp.SignedAssertion(As(org, "late@people.example")));
        Assert.Equal(HttpStatusCode.Forbidden, problem.StatusCode);
        await org.AssertRefusedAsync(problem, "seats");

        var page = await org.PostAsync(org.Idp.SignedAssertion(As(org, "late@people.example")), json: false);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("seats", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(page.Headers.Contains("Set-Cookie"));
        await org.AssertNothingProvisionedAsync();
        Assert.Equal(0, await fixture.SeatsUsedAsync(org.Id));
    }
}
