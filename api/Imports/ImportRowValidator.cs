using System.Globalization;
using System.Text.RegularExpressions;
using Taskee.Grains.Interfaces;

namespace Taskee.Api.Imports;

/// <summary>A row that passed validation: the organisation's settings and the member it adds.</summary>
public sealed record ValidImportRow(
    long Line, string OrganisationId, string OrganisationName, string Plan, string? StripeCustomerId,
    string? StripeSubscriptionId, string MemberEmail, string MemberRole, long? AiCallsLimit)
{
    /// <summary>The member's user id: the e-mail address in lower case, stable across runs so a re-run finds the member.</summary>
    public string UserId => MemberEmail;

    /// <summary>The organisation columns, compared between rows of one organisation.</summary>
    public (string, string, string?, string?, long?) OrganisationColumns =>
        (OrganisationName, Plan, StripeCustomerId, StripeSubscriptionId, AiCallsLimit);
}

/// <summary>Checks one row on its own, in terms of the file's columns; the first problem found is the reason.</summary>
public static partial class ImportRowValidator
{
    public static (ValidImportRow? Row, string? Reason) Validate(ImportRow row, Func<string, bool> planExists)
    {
        if (row.ReadError is { } error) return Reject(error);
        if (!OrganisationId.IsValid(row.OrganisationId))
            return Reject("organisation_id is required: 3 to 63 lower-case letters, digits and '-', not starting with '-'");
        if (row.OrganisationName is null || row.OrganisationName.Length > 200)
            return Reject("organisation_name is required, at most 200 characters");
        if (row.Plan is null || !planExists(row.Plan)) return Reject($"plan '{row.Plan}' is not a known plan");
        if (row.StripeCustomerId is { } customer && !customer.StartsWith("cus_", StringComparison.Ordinal))
            return Reject($"stripe_customer_id '{customer}' is not a Stripe customer id (cus_...)");
        if (row.StripeSubscriptionId is { } subscription && !subscription.StartsWith("sub_", StringComparison.Ordinal))
            return Reject($"stripe_subscription_id '{subscription}' is not a Stripe subscription id (sub_...)");
        if (row.StripeSubscriptionId is not null && row.StripeCustomerId is null)
            return Reject("stripe_subscription_id needs the stripe_customer_id it belongs to");
        var email = row.MemberEmail?.ToLowerInvariant();
        if (email is null || email.Length > 128 || !EmailPattern().IsMatch(email))
            return Reject($"member_email '{row.MemberEmail}' does not look like name@example.com");
        if (row.MemberRole is null || !MemberRoles.BuiltIn.Contains(row.MemberRole))
            return Reject($"member_role '{row.MemberRole}' is not one of {string.Join(", ", MemberRoles.BuiltIn)}");
        long? limit = null;
        if (row.AiCallsLimit is { } text)
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > Metrics.MaxLimit)
                return Reject($"ai_calls_limit '{text}' is not a whole number from 0 to {Metrics.MaxLimit}");
            limit = value;
        }
        return (new ValidImportRow(row.Line, row.OrganisationId!, row.OrganisationName, row.Plan, row.StripeCustomerId,
            row.StripeSubscriptionId, email, row.MemberRole, limit), null);
    }

    private static (ValidImportRow?, string?) Reject(string reason) => (null, reason);

    // The user-id alphabet of POST /v1/organisations/{orgId}/members, since the address becomes the user id.
    [GeneratedRegex(@"^[a-z0-9._:-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();
}
