using System.Net.Mail;
using System.Text.RegularExpressions;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Sales;
using Taskee.Grains.Storage;

namespace Taskee.Api.Sales;

public sealed record LeadContactRequest(string? Name, string? Email, string? Phone);

/// <summary>
/// The intake form as posted to <c>POST /v1/leads</c>. Besides the answers: <c>formToken</c> (from <c>GET /v1/leads/form</c>,
/// for the time-to-submit check; optional, since the issue's contract has no such field and a client sending exactly that
/// contract must be served: without it the per-address limit and the honeypot still apply), <c>language</c> (<c>nl</c> or <c>en</c>: the consent text stored is the one in it) and
/// <c>website</c>, a field people never see and robots fill in, which must stay empty.
/// </summary>
public sealed partial record CreateLeadRequest(
    string? OrganisationName,
    string? Sector,
    int? Users,
    List<string>? Compliance,
    List<string>? Tooling,
    bool? NeedsSso,
    bool? NeedsScim,
    bool? NeedsSla,
    string? Integrations,
    bool? PrivateHosting,
    LeadContactRequest? Contact,
    bool? Consent,
    string? Language,
    string? FormToken,
    string? Website) : IValidatable
{
    public const int MaxUsers = 1_000_000;

    public void Validate(ValidationErrors errors)
    {
        if (!string.IsNullOrEmpty(Website)) errors.Add("website", "Leave this field empty; it is there to catch automated submissions.");
        if (string.IsNullOrWhiteSpace(OrganisationName) || OrganisationName.Trim().Length > 200)
            errors.Add("organisationName", "organisationName is required: 1 to 200 characters.");
        if (Sector is null || !LeadVocabulary.Sectors.Contains(Sector))
            errors.Add("sector", $"sector is required: one of {string.Join(", ", LeadVocabulary.Sectors)}.");
        if (Users is not (>= 1 and <= MaxUsers)) errors.Add("users", $"users is required: the number of people who will use Taskee, 1 to {MaxUsers}.");
        OneOf(errors, "compliance", Compliance, LeadVocabulary.Compliance);
        OneOf(errors, "tooling", Tooling, LeadVocabulary.Tooling);
        if (Integrations is { Length: > 2000 }) errors.Add("integrations", "integrations is at most 2000 characters.");
        if (Language is not null && !LeadVocabulary.Languages.Contains(Language))
            errors.Add("language", $"language is one of {string.Join(", ", LeadVocabulary.Languages)} (default nl).");

        if (string.IsNullOrWhiteSpace(Contact?.Name) || Contact.Name.Trim().Length > 200)
            errors.Add("contact.name", "contact.name is required: the name of the person to contact, 1 to 200 characters.");
        if (!IsEmail(Contact?.Email)) errors.Add("contact.email", "contact.email is required: an e-mail address like name@example.nl.");
        if (!string.IsNullOrWhiteSpace(Contact?.Phone) && !PhonePattern().IsMatch(Contact.Phone.Trim()))
            errors.Add("contact.phone", "contact.phone is a phone number of 6 to 20 digits, spaces, dashes or brackets, optionally starting with +.");
        if (Consent is not true) errors.Add("consent", "consent must be true: we contact you only with your consent.");
        if (FormToken is { Length: 0 }) errors.Add("formToken", "formToken must be the token GET /v1/leads/form gave when the form opened, or left out.");
    }

    public LeadAnswers ToAnswers() => new(
        OrganisationName!.Trim(), Sector!, Users!.Value,
        (Compliance ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
        (Tooling ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
        NeedsSso ?? false, NeedsScim ?? false, NeedsSla ?? false,
        string.IsNullOrWhiteSpace(Integrations) ? null : Integrations.Trim(), PrivateHosting ?? false);

    public LeadContact ToContact() =>
        new(Contact!.Name!.Trim(), Contact.Email!.Trim(), string.IsNullOrWhiteSpace(Contact.Phone) ? null : Contact.Phone.Trim());

    private static void OneOf(ValidationErrors errors, string field, List<string>? values, IReadOnlyList<string> allowed)
    {
        foreach (var value in (values ?? []).Where(v => !allowed.Contains(v)))
            errors.Add(field, $"Unknown {field} '{value}'; use {string.Join(", ", allowed)}.");
    }

    private static bool IsEmail(string? email) =>
        email is { Length: > 0 and <= 254 } && MailAddress.TryCreate(email.Trim(), out var address)
        && address.Address == email.Trim() && address.Host.Contains('.', StringComparison.Ordinal);

    [GeneratedRegex(@"^\+?[0-9][0-9 ()\-.]{5,19}$")]
    private static partial Regex PhonePattern();
}

/// <summary>The answer to an intake: the lead's id, and whether (and why) it qualified.</summary>
public sealed record LeadCreatedResponse(string Id, bool Qualified, IReadOnlyList<string> Reasons);

/// <summary>What the intake form needs before a person fills it in: its token, and the consent text it shows.</summary>
public sealed record LeadFormResponse(string FormToken, int MinimumFillSeconds, LeadConsentResponse Consent);

public sealed record LeadConsentResponse(string Version, IReadOnlyDictionary<string, string> Texts);

/// <summary>A change of a lead by sales: any of status, owner and notes (an empty string clears owner or notes).</summary>
public sealed record UpdateLeadRequest(string? Status, string? Owner, string? Notes) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (Status is null && Owner is null && Notes is null) errors.Add("body", "Send at least one of status, owner and notes.");
        if (Status is not null && !LeadStatuses.All.Contains(Status))
            errors.Add("status", $"Unknown status '{Status}'; use {string.Join(", ", LeadStatuses.All)}.");
        if (Owner is { Length: > 200 }) errors.Add("owner", "owner is at most 200 characters.");
        if (Notes is { Length: > 10_000 }) errors.Add("notes", "notes is at most 10000 characters.");
    }
}

public sealed record LeadContactResponse(string Name, string Email, string? Phone);

public sealed record LeadConsentGiven(string Version, string Text, DateTimeOffset GivenAt);

/// <summary>One stage the lead was in, and how long (until now for the current one).</summary>
public sealed record LeadStageResponse(string Status, DateTimeOffset EnteredAt, DateTimeOffset? LeftAt, long Seconds);

/// <summary>
/// The CRM hand-off: <c>status</c> is <c>synced</c> (the CRM has the lead's latest state), <c>pending</c>, <c>retrying</c>
/// (the last attempt failed: see <c>lastError</c> and <c>nextAttemptAt</c>) or <c>none</c> (never handed off: an
/// unqualified lead nobody moved yet).
/// </summary>
public sealed record LeadCrmResponse(string Provider, string Status, string? Id, DateTimeOffset? SyncedAt, int Pending, int Attempts,
    string? LastError, DateTimeOffset? NextAttemptAt)
{
    public static LeadCrmResponse From(CrmSyncState crm, string provider) => new(provider,
        crm.Pending > 0 ? (crm.LastError is null ? "pending" : "retrying") : crm.SyncedAt is null ? "none" : "synced",
        crm.CrmId, crm.SyncedAt, crm.Pending, crm.Attempts, crm.LastError, crm.NextAttemptAt);
}

public sealed record LeadResponse(
    string Id,
    DateTimeOffset CreatedAt,
    string OrganisationName,
    string Sector,
    int Users,
    IReadOnlyList<string> Compliance,
    IReadOnlyList<string> Tooling,
    bool NeedsSso,
    bool NeedsScim,
    bool NeedsSla,
    string? Integrations,
    bool PrivateHosting,
    LeadContactResponse Contact,
    string Language,
    LeadConsentGiven Consent,
    bool Qualified,
    int Score,
    IReadOnlyList<string> Reasons,
    string Status,
    string? Owner,
    string? Notes,
    long Version,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<LeadStageResponse> StatusHistory,
    LeadCrmResponse Crm,
    string? OrganisationId)
{
    public static LeadResponse From(LeadRecord l, string crmProvider, DateTimeOffset now)
    {
        var a = l.Answers;
        return new(l.Id, l.CreatedAt, a.OrganisationName, a.Sector, a.Users, a.Compliance, a.Tooling, a.NeedsSso, a.NeedsScim, a.NeedsSla,
            a.Integrations, a.PrivateHosting, new LeadContactResponse(l.Contact.Name, l.Contact.Email, l.Contact.Phone), l.Language,
            new LeadConsentGiven(l.Consent.Version, l.Consent.Text, l.Consent.GivenAt), l.Qualification.Qualified, l.Qualification.Score,
            l.Qualification.Reasons, l.Status, l.Owner, l.Notes, l.Version, l.UpdatedAt,
            l.History.Select(h => new LeadStageResponse(h.Status, h.EnteredAt, h.LeftAt, (long)((h.LeftAt ?? now) - h.EnteredAt).TotalSeconds)).ToList(),
            LeadCrmResponse.From(l.Crm, crmProvider), l.OrganisationId);
    }
}

/// <summary>A page of leads, newest first; <c>next</c> is the <c>before</c> of the following page.</summary>
public sealed record LeadList(IReadOnlyList<LeadResponse> Items, string? Next);
