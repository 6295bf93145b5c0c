using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Grains.Sales;

/// <summary>One step of the onboarding checklist; <see cref="Manual"/> steps are ticked by hand, the others follow real state.</summary>
/// <param name="Feature">The step applies only when this feature is on for the organisation (null: always).</param>
public sealed record OnboardingStep(string Key, string Title, bool Manual, string? Feature = null);

/// <summary>
/// The customer-success playbook's onboarding checklist (the enterprise proposal: a dedicated account manager, SSO and
/// SCIM, admins, first use, the DPA of the contract documents), done within <see cref="TargetDays"/> days of the won quote.
/// Pure: which steps the organisation's state shows done.
/// </summary>
public static class OnboardingChecklist
{
    public const int TargetDays = 14;

    public const string AccountManagerAssigned = "account_manager_assigned";
    public const string AdminsInvited = "admins_invited";
    public const string SsoConfigured = "sso_configured";
    public const string ScimConnected = "scim_connected";
    public const string FirstUsage = "first_usage";
    public const string DpaSigned = "dpa_signed";

    public static readonly IReadOnlyList<OnboardingStep> Steps =
    [
        new(AccountManagerAssigned, "An account manager owns the customer (the lead's owner)", Manual: false),
        new(AdminsInvited, "An owner or admin of the organisation is a member", Manual: false),
        new(SsoConfigured, "Single sign-on (OIDC or SAML) is configured", Manual: false, Features.Sso),
        new(ScimConnected, "The identity provider's SCIM client has connected", Manual: false, Features.Scim),
        new(FirstUsage, "The organisation has used the product (AI calls or storage)", Manual: false),
        new(DpaSigned, "The data processing agreement is signed", Manual: true),
    ];

    public static OnboardingStep? Find(string key) => Steps.FirstOrDefault(s => s.Key == key);

    /// <summary>The steps that apply to an organisation with these features.</summary>
    public static IReadOnlyList<OnboardingStep> For(Entitlements entitlements) =>
        Steps.Where(s => s.Feature is null || entitlements.Features.GetValueOrDefault(s.Feature)?.Enabled == true).ToList();

    /// <summary>
    /// The derived steps the state shows done, each at the time the state says (its record's time) or, where the state keeps
    /// none (an owner set on the lead, usage counted), at <paramref name="now"/>, the first time it is seen.
    /// </summary>
    public static IReadOnlyList<OnboardingStepRecord> SeenDone(OnboardingFacts facts, bool used, DateTimeOffset now)
    {
        var done = new List<OnboardingStepRecord>();
        void Seen(string step, DateTimeOffset? at) { if (at is { } time) done.Add(new OnboardingStepRecord(step, time, Manual: false)); }
        Seen(AccountManagerAssigned, facts.LeadOwner is null ? null : now);
        Seen(AdminsInvited, facts.AdminAddedAt);
        Seen(SsoConfigured, facts.SsoConfiguredAt);
        Seen(ScimConnected, facts.ScimFirstUsedAt);
        Seen(FirstUsage, used ? now : null);
        return done;
    }
}
