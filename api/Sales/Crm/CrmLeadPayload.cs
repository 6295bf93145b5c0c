using Taskee.Grains.Sales;
using Taskee.Grains.Storage;

namespace Taskee.Api.Sales.Crm;

/// <summary>
/// The lead as a CRM receives it (the webhook's <c>data</c>): the intake answers, the contact, the consent's version,
/// qualification and the sales stage. Internal notes stay in Taskee.
/// </summary>
public sealed record CrmLeadPayload(
    string LeadId,
    DateTimeOffset CreatedAt,
    LeadAnswers Answers,
    LeadContact Contact,
    string Language,
    string ConsentVersion,
    DateTimeOffset ConsentGivenAt,
    QualificationResult Qualification,
    string Status,
    string? Owner,
    IReadOnlyList<LeadStatusPeriod> StatusHistory)
{
    public static CrmLeadPayload From(LeadRecord l) => new(l.Id, l.CreatedAt, l.Answers, l.Contact, l.Language, l.Consent.Version,
        l.Consent.GivenAt, l.Qualification, l.Status, l.Owner, l.History);
}
