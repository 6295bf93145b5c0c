namespace Taskee.Api.Imports;

/// <summary>
/// One member row of an import file as read, before validation. Organisation fields are repeated on every row of
/// the organisation; <see cref="Line"/> is the file's line number (the CSV header is line 1).
/// </summary>
public sealed record ImportRow(
    long Line,
    string? OrganisationId,
    string? OrganisationName,
    string? Plan,
    string? StripeCustomerId,
    string? StripeSubscriptionId,
    string? MemberEmail,
    string? MemberRole,
    string? AiCallsLimit)
{
    /// <summary>A line that could not be read as a row at all (broken JSON, an unclosed quote).</summary>
    public string? ReadError { get; init; }

    /// <summary>The field names of the file format: the CSV header and the NDJSON property names.</summary>
    public static readonly IReadOnlyList<string> Fields =
    [
        "organisation_id", "organisation_name", "plan", "stripe_customer_id", "stripe_subscription_id",
        "member_email", "member_role", "ai_calls_limit",
    ];
}

/// <summary>What importing a row did (or, in a dry run, would do).</summary>
public enum ImportOutcome
{
    Created,
    Updated,
    Unchanged,
    Rejected,
}

/// <summary>A row's outcome for the report; <see cref="Reason"/> says why a row was rejected.</summary>
public sealed record ImportRowResult(long Line, ImportOutcome Outcome, string? Reason);
