using System.Collections.Frozen;
using System.Text.Json;
using Taskee.Grains.Audit;
using Taskee.Grains.Interfaces;

namespace Taskee.Api.Webhooks;

/// <summary>One event type an endpoint can subscribe to: an audit action of an organisation's chain.</summary>
/// <param name="Example">A whole message body as it is delivered (<c>{type, id, timestamp, data}</c>), for an invented event.</param>
public sealed record WebhookEventType(string Type, string Description, JsonElement Example);

/// <summary>
/// Every audit action an organisation's chain can carry, which is every event type a webhook can deliver, with a
/// description and an example message. <c>WebhookEventCatalogTests</c> walks the source tree and fails when an audit
/// action written anywhere is neither here nor in <see cref="PlatformOnlyActions"/>, so this list cannot drift.
/// </summary>
public static class WebhookEventCatalog
{
    /// <summary>The type of the message <c>POST .../webhooks/{webhookId}/test</c> sends; not an audit event.</summary>
    public const string TestType = WebhookMessage.TestType;

    /// <summary>
    /// Actions recorded only on the platform chain (<see cref="AuditEvent.PlatformChain"/>), never on an organisation's:
    /// plans, flags, the platform issuer's key alerts, and sales (leads, price book, quotes). They are not organisation events: an endpoint belongs to one
    /// organisation and delivers that organisation's chain, and these events describe platform-wide settings (a flag's
    /// allow and deny lists name other organisations), so no organisation may subscribe to them. An organisation sees
    /// their effect on itself where it shows: its entitlements, and the org and billing events of its own chain.
    /// </summary>
    public static readonly IReadOnlyList<string> PlatformOnlyActions =
        [
            "plan.created", "plan.updated", "org.deleted", "flag.created", "flag.updated", "flag.killed", "auth.jwks.stale", "auth.key.expiring",
            // Sales: prospects and their quotes are the platform's, not an organisation's.
            "lead.created", "lead.updated", "lead.crm.linked", "pricebook.versioned", "quote.created", "quote.won", "quote.lost",
            // Customer imports (POST /v1/imports) are platform jobs; each imported row's own events are the organisation's.
            "import.queued", "import.completed", "import.failed",
        ];

    private const string Org = "acme";
    private const string At = "2026-01-15T09:30:00.000Z";
    private const string EventId = "01KF0Z8Q3X7V2M9N4B6C8D0E2F";
    private static readonly AuditActor Admin = new("user", "u_7Q2M9N4B");
    private static readonly AuditActor Stripe = new("stripe", "evt_1QxYz2AbCdEf");
    private static readonly AuditActor Scim = new("scim", "tk_scim01");

    public static readonly IReadOnlyList<WebhookEventType> All =
    [
        Event("org.created", "The organisation was created (by the platform).", $"organisations/{Org}", null, OrgJson(version: 1)),
        Event("org.renamed", "The organisation's name changed.", $"organisations/{Org}", OrgJson(), OrgJson(name: "Acme B.V.", version: 4)),
        Event("org.plan.changed", "The platform moved the organisation to another plan.", $"organisations/{Org}", OrgJson(), OrgJson(plan: "enterprise", version: 4)),
        Event("org.status.changed", "The platform changed the organisation's status (active, suspended, ...).", $"organisations/{Org}", OrgJson(),
            OrgJson(status: "suspended", version: 4)),
        Event("org.billing_anchor.changed", "The instant the monthly billing period starts from changed.", $"organisations/{Org}", OrgJson(),
            OrgJson(anchor: "\"2026-02-01T00:00:00+00:00\"", version: 4)),
        Event("org.updated", "Several settings of the organisation changed at once.", $"organisations/{Org}", OrgJson(),
            OrgJson(name: "Acme B.V.", plan: "enterprise", version: 4)),
        Event("org.imported", "The customer import set the organisation's name, plan or AI-call limit to what the import file says.",
            $"organisations/{Org}", OrgJson(), OrgJson(name: "Acme B.V.", plan: "enterprise", limits: """{"ai_calls":50000}""", version: 4)),
        Event("org.limit.set", "A limit override was set for a metric (ai_calls, storage_bytes, seats).", $"organisations/{Org}/limits/ai_calls", OrgJson(),
            OrgJson(limits: """{"ai_calls":50000}""", version: 4)),
        Event("org.limit.reset", "A limit override was removed: the plan's limit applies again.", $"organisations/{Org}/limits/ai_calls",
            OrgJson(limits: """{"ai_calls":50000}"""), OrgJson(version: 4)),
        Event("org.feature.set", "A feature override was set (on or off, whatever the plan says).", $"organisations/{Org}/features/sso", OrgJson(),
            OrgJson(features: """{"sso":true}""", version: 4)),
        Event("org.feature.reset", "A feature override was removed: the plan decides again.", $"organisations/{Org}/features/sso",
            OrgJson(features: """{"sso":true}"""), OrgJson(version: 4)),
        Event("org.retention.set", "The platform set the organisation's own audit retention (days), overriding its plan's.",
            $"organisations/{Org}/retention", """{"auditRetentionDays":null}""", """{"auditRetentionDays":3653}"""),
        Event("org.retention.reset", "The organisation's own audit retention was removed: its plan's applies again.",
            $"organisations/{Org}/retention", """{"auditRetentionDays":3653}""", """{"auditRetentionDays":null}"""),
        Event("org.offboarding.started", "The owner asked to offboard the organisation: it is blocked, its export is offered until deleteAfter, then its data is deleted.",
            $"organisations/{Org}/offboard", null, """{"requestedAt":"2026-01-15T09:30:00+00:00","deleteAfter":"2026-02-14T09:30:00+00:00"}"""),
        Event("org.offboarding.cancelled", "The offboarding was cancelled within its window: the organisation is in use again.",
            $"organisations/{Org}/offboard", """{"requestedAt":"2026-01-15T09:30:00+00:00","deleteAfter":"2026-02-14T09:30:00+00:00"}""", null),
        Event("audit.pruned", "Retention deleted the organisation's audit events past their retention; the chain now verifies from this checkpoint.",
            $"organisations/{Org}/audit", null,
            """{"checkpoint":{"orgId":"acme","seq":41,"headHash":"9f2c4e6a8b0d1f3e5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f","prunedCount":41,"prunedAt":"2026-01-15T09:30:00.000Z"},"prunedNow":41}""",
            AuditActor.System),

        Event("billing.linked", "The organisation was linked to a Stripe customer.", $"organisations/{Org}/billing", BillingJson(customer: null),
            BillingJson(version: 4), Stripe),
        Event("billing.status.changed", "Billing changed the organisation's status (past_due, grace, suspended, active, cancelled).",
            $"organisations/{Org}/billing", BillingJson(), BillingJson(status: "past_due", version: 4), Stripe),
        Event("billing.plan.changed", "The Stripe subscription moved the organisation to another plan.", $"organisations/{Org}/billing", BillingJson(),
            BillingJson(plan: "enterprise", version: 4), Stripe),
        Event("billing.features.restricted", "An open Stripe dispute switched features off.", $"organisations/{Org}/billing", BillingJson(),
            BillingJson(restricted: """["advanced_reports","api_access"]""", version: 4), Stripe),
        Event("billing.features.restored", "The dispute closed: the restricted features are back.", $"organisations/{Org}/billing",
            BillingJson(restricted: """["advanced_reports","api_access"]"""), BillingJson(version: 4), Stripe),
        Event("billing.anchor.changed", "The subscription's billing period start changed.", $"organisations/{Org}/billing", BillingJson(),
            BillingJson(anchor: "\"2026-02-01T00:00:00+00:00\"", version: 4), Stripe),
        Event("billing.updated", "Other billing facts changed (subscription, invoices, disputes).", $"organisations/{Org}/billing", BillingJson(),
            BillingJson(version: 4), Stripe),
        Event("billing.invoice.sent", "A manual invoice was sent through Stripe.", $"organisations/{Org}/billing", BillingJson(),
            BillingJson(manualInvoices: """["in_1QxYz2AbCdEf"]""", version: 4)),
        Event("billing.reconciled", "Reconciliation with Stripe corrected the organisation's billing state.", $"organisations/{Org}/billing", BillingJson(),
            BillingJson(status: "active", version: 4), new AuditActor("stripe", "reconcile-01KF0Z8Q")),

        Event("quota.threshold_reached", "Consumption of a metric reached 80% or 90% of its limit in the period.", $"organisations/{Org}/usage/ai_calls",
            null, """{"metric":"ai_calls","period":"2026-01","threshold":80,"consumed":16000,"limit":20000}""", AuditActor.System),
        Event("quota.exhausted", "Consumption of a metric reached 100% of its limit in the period.", $"organisations/{Org}/usage/ai_calls",
            null, """{"metric":"ai_calls","period":"2026-01","threshold":100,"consumed":20000,"limit":20000}""", AuditActor.System),

        Event("member.added", "A member was added (admin API, SCIM or just-in-time sign-in).", $"organisations/{Org}/members/u_ada",
            null, Member("member")),
        Event("member.removed", "A member was removed; their sessions end.", $"organisations/{Org}/members/u_ada", Member("member"), null),
        Event("member.role_changed", "A member's role changed.", $"organisations/{Org}/members/u_ada", Member("member"), Member("admin")),

        Event("apikey.created", "An API key was created (its secret is never recorded).", $"organisations/{Org}/api-keys/k7q2m9n4", null, ApiKey()),
        Event("apikey.rotated", "An API key got a new secret; the previous one works until previousValidUntil.", $"organisations/{Org}/api-keys/k7q2m9n4",
            null, """{"id":"k7q2m9n4","previousValidUntil":"2026-01-15T10:30:00+00:00"}"""),
        Event("apikey.revoked", "An API key was revoked.", $"organisations/{Org}/api-keys/k7q2m9n4", null, null),

        Event("role.created", "A custom role was created.", $"organisations/{Org}/roles/reader", null, """{"role":"reader","permissions":["org:read"]}"""),
        Event("role.updated", "A custom role's permissions changed.", $"organisations/{Org}/roles/reader", """{"role":"reader","permissions":["org:read"]}""",
            """{"role":"reader","permissions":["audit:read","org:read"]}"""),
        Event("role.deleted", "A custom role was deleted.", $"organisations/{Org}/roles/reader", """{"role":"reader"}""", null),

        Event("sso.configured", "The organisation's OpenID Connect / JWT sign-in settings were set.", $"organisations/{Org}/sso", null,
            """{"issuer":"https://login.acme.example","audience":"taskee","orgClaim":null,"rolesClaim":"roles","clientId":"taskee-web","clientSecretSet":true,"groupsClaim":"groups","groupRoles":{},"defaultRole":"member","jitProvisioning":true,"scopes":"openid email profile"}"""),
        Event("sso.saml.configured", "The organisation's SAML sign-in settings were set.", $"organisations/{Org}/sso/saml", null,
            """{"idpEntityId":"https://idp.acme.example/saml","idpSsoUrl":"https://idp.acme.example/saml/sso","idpCertificates":["MIIC..."],"emailAttribute":null,"rolesAttribute":null,"groupRoles":{},"defaultRole":"member","allowIdpInitiated":false,"jitProvisioning":true}"""),
        Event("sso.saml.removed", "SAML sign-in was removed.", $"organisations/{Org}/sso/saml",
            """{"idpEntityId":"https://idp.acme.example/saml","idpSsoUrl":"https://idp.acme.example/saml/sso"}""", null),

        Event("scim.user.created", "The identity provider provisioned a user (SCIM).", $"organisations/{Org}/scim/Users/u_ada", null, ScimUser(true, 1), Scim),
        Event("scim.user.updated", "The identity provider changed a user (SCIM).", $"organisations/{Org}/scim/Users/u_ada", ScimUser(true, 1),
            ScimUser(false, 2), Scim),
        Event("scim.user.deleted", "The identity provider deleted a user (SCIM).", $"organisations/{Org}/scim/Users/u_ada", ScimUser(true, 1), null, Scim),
        Event("scim.group.created", "The identity provider created a group (SCIM).", $"organisations/{Org}/scim/Groups/g_admins", null, ScimGroup(1), Scim),
        Event("scim.group.updated", "The identity provider changed a group or its members (SCIM).", $"organisations/{Org}/scim/Groups/g_admins",
            ScimGroup(1), ScimGroup(2), Scim),
        Event("scim.group.deleted", "The identity provider deleted a group (SCIM).", $"organisations/{Org}/scim/Groups/g_admins", ScimGroup(1), null, Scim),
        Event("scim.group_roles.updated", "The mapping of SCIM groups to roles changed.", $"organisations/{Org}/scim/group-roles", """{}""",
            """{"Admins":"admin"}"""),

        Event("auth.signed_in", "A member signed in (SAML or OpenID Connect) and got a Taskee session.", $"organisations/{Org}/members/u_ada", null,
            """{"method":"oidc","subject":"00u1ada","email":"ada@acme.example","roles":["member"]}"""),
        Event("auth.session.revoked", "A member's session ended (signed out, or the member was removed).",
            $"organisations/{Org}/members/u_ada/sessions/rf_01KF0Z8Q", null, """{"reason":"signed_out","amr":"oidc"}"""),
        Event("auth.refresh_token.reused", "A refresh token was used twice (a stolen token?): its whole session was revoked.",
            $"organisations/{Org}/members/u_ada/sessions/rf_01KF0Z8Q", null, """{"reason":"reused","amr":"oidc"}""", AuditActor.System),

        Event("webhook.created", "A webhook endpoint was created (its secret is never recorded).", $"organisations/{Org}/webhooks/{ExampleWebhook}",
            null, Webhook(true)),
        Event("webhook.updated", "A webhook endpoint's url, events, description or enabled changed.", $"organisations/{Org}/webhooks/{ExampleWebhook}",
            Webhook(true), Webhook(false)),
        Event("webhook.deleted", "A webhook endpoint was deleted.", $"organisations/{Org}/webhooks/{ExampleWebhook}", Webhook(true), null),
        Event("webhook.secret_rotated", "A webhook endpoint got a new signing secret; the previous one signs beside it until previousSecretValidUntil.",
            $"organisations/{Org}/webhooks/{ExampleWebhook}", null, """{"previousSecretValidUntil":"2026-01-16T09:30:00+00:00"}"""),
        Event("webhook.tested", "A test message was sent to a webhook endpoint.", $"organisations/{Org}/webhooks/{ExampleWebhook}", null,
            """{"deliveryId":"whd_01KF0Z8Q3X7V2M9N4B6C8D0E2G","outcome":"succeeded","statusCode":200}"""),
        Event("webhook.redelivered", "An earlier message was sent to a webhook endpoint again.", $"organisations/{Org}/webhooks/{ExampleWebhook}", null,
            """{"deliveryId":"whd_01KF0Z8Q3X7V2M9N4B6C8D0E2G","outcome":"succeeded","statusCode":200}"""),
        Event("webhook.replayed", "A webhook endpoint was set to send every matching event since an instant again.",
            $"organisations/{Org}/webhooks/{ExampleWebhook}", null, """{"from":"2026-01-14T00:00:00+00:00","events":42}"""),
        Event("webhook.disabled", "The service disabled a webhook endpoint: a message kept failing for the whole retry window.",
            $"organisations/{Org}/webhooks/{ExampleWebhook}", Webhook(true), Webhook(false), AuditActor.System),

        Event("onboarding.started", "The organisation was created from a won quote and its onboarding checklist started (docs/sales.md).",
            $"organisations/{Org}/onboarding", null,
            """{"organisationId":"acme","quoteId":"quote_01KF0Z8Q3X7V2M9N4B6C8D0E2K","quoteNumber":"Q-2026-0001","quoteVersion":1,"leadId":"lead_01KF0Z8Q3X7V2M9N4B6C8D0E2M","planId":"custom-q-2026-0001-v1","startedAt":"2026-01-15T09:30:00+00:00","targetDays":14}"""),
        Event("onboarding.step.done", "A step of the onboarding checklist was seen done, or ticked by hand.", $"organisations/{Org}/onboarding/steps/sso_configured",
            null, """{"step":"sso_configured","doneAt":"2026-01-16T11:02:00+00:00","manual":false}"""),
        Event("onboarding.step.cleared", "A step ticked by hand was unticked.", $"organisations/{Org}/onboarding/steps/dpa_signed", null, null),
        Event("privacy.request.filed", "An admin filed a data-subject request (access or erasure) about a member; the event names the request, never the person.",
            $"organisations/{Org}/privacy/requests/{ExamplePrivacyRequest}", null, """{"kind":"erasure","status":"pending"}"""),
        Event("privacy.access.completed", "An access request completed: its bundle can be downloaded.", $"organisations/{Org}/privacy/requests/{ExamplePrivacyRequest}",
            null, null, PrivacyJob),
        Event("privacy.erasure.completed", "A member was erased: sessions, SCIM rows and their audit key destroyed (counts only); the receipt names this event's chain position.",
            $"organisations/{Org}/privacy/requests/{ExamplePrivacyRequest}", null,
            """{"sessions":2,"scimUsers":1,"scimGroupMemberships":1,"apiKeysRenamed":0,"idempotentAnswers":0,"auditKeysDestroyed":1}""", PrivacyJob),
        Event("privacy.request.failed", "A data-subject request could not be completed; the reason is in the event and on the request.",
            $"organisations/{Org}/privacy/requests/{ExamplePrivacyRequest}", null, """{"error":"Organisation 'acme' no longer exists."}""", PrivacyJob),
        TestEvent(),
    ];

    /// <summary>Every type of <see cref="All"/>.</summary>
    public static readonly FrozenSet<string> Types = All.Select(e => e.Type).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// True for "*", an exact type of the catalogue, or a prefix <c>x.*</c> that at least one type falls under
    /// (<c>org.*</c>, <c>org.limit.*</c>): a filter that can never match is a mistake, refused when it is saved.
    /// </summary>
    public static bool IsValidFilter(string filter) =>
        filter == "*" || Types.Contains(filter)
        || (filter.Length > 2 && filter.EndsWith(".*", StringComparison.Ordinal) && !filter[..^2].Contains('*')
            && Types.Any(t => WebhookEventFilter.Matches([filter], t)));

    private const string ExampleWebhook = "wh_01KF0Z8Q3X7V2M9N4B6C8D0E2H";
    private const string ExamplePrivacyRequest = "dsr_01KF0Z8Q3X7V2M9N4B6C8D0E2P";

    // The privacy-requests job runs requests as actor kind "privacy", the request id as its id (a property: All is built first).
    private static AuditActor PrivacyJob => new("privacy", ExamplePrivacyRequest);

    private static WebhookEventType Event(string type, string description, string target, string? before, string? after, AuditActor? actor = null)
    {
        var unhashed = new AuditEvent(EventId, Org, 42, At, actor ?? Admin, type, target, before, after, "0HNA1B2C3D4E5:00000001", "203.0.113.7",
            "9f2c4e6a8b0d1f3e5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f", "");
        var example = unhashed with { Hash = AuditHash.Compute(unhashed) };
        return new WebhookEventType(type, description, Parse(System.Text.Encoding.UTF8.GetBytes(WebhookMessage.For(new RevealedAuditEvent(example, example)).Body)));
    }

    /// <summary>
    /// The test message is not an audit event: its id is new on every test, and its data names the endpoint it was
    /// sent to, so a receiver can tell it from real traffic.
    /// </summary>
    private static WebhookEventType TestEvent() => new(TestType,
        "A test message, sent on request by POST .../webhooks/{webhookId}/test; not an audit event, and sent whatever the endpoint's events.",
        Parse(JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = TestType, id = WebhookMessage.IdPrefix + "01KF0Z8Q3X7V2M9N4B6C8D0E2J", timestamp = At,
            data = new { webhookId = ExampleWebhook, orgId = Org, message = "A test message from Taskee: this endpoint receives and verifies webhooks." },
        })));

    private static JsonElement Parse(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static string OrgJson(string name = "Acme", string plan = "pro", string status = "active", string limits = "{}", string features = "{}",
        string anchor = "null", long version = 3) =>
        $$"""{"id":"{{Org}}","name":"{{name}}","plan":"{{plan}}","status":"{{status}}","limitOverrides":{{limits}},"featureOverrides":{{features}},"billingAnchor":{{anchor}},"version":{{version}},"createdAt":"2025-11-02T08:00:00+00:00","updatedAt":"{{(version == 1 ? "2025-11-02T08:00:00+00:00" : "2026-01-15T09:30:00+00:00")}}"}""";

    private static string BillingJson(string plan = "pro", string status = "active", string? customer = "cus_R2d2C3po", string restricted = "[]",
        string anchor = "\"2026-01-01T00:00:00+00:00\"", string manualInvoices = "[]", long version = 3) =>
        $$"""{"orgId":"{{Org}}","plan":"{{plan}}","status":"{{status}}","billingAnchor":{{anchor}},"stripeCustomerId":{{(customer is null ? "null" : $"\"{customer}\"")}},"delinquent":false,"subscription":null,"restrictedFeatures":{{restricted}},"graceEndsAt":null,"nextChangeAt":null,"invoices":[],"disputes":[],"manualInvoices":{{manualInvoices}},"version":{{version}}}""";

    private static string Member(string role) => $$"""{"userId":"u_ada","email":"ada@acme.example","role":"{{role}}"}""";

    private static string ApiKey() =>
        """{"id":"k7q2m9n4","name":"CI deploys","scopes":["admin"],"createdAt":"2026-01-15T09:30:00+00:00","expiresAt":null,"revokedAt":null,"lastUsedAt":null,"previousSecretValidUntil":null}""";

    private static string ScimUser(bool active, long version) =>
        $$"""{"id":"u_ada","userName":"ada@acme.example","externalId":"00u1ada","active":{{(active ? "true" : "false")}},"name":{"givenName":"Ada","familyName":"Lovelace"},"displayName":"Ada Lovelace","emails":[{"value":"ada@acme.example","primary":true}],"profile":null,"version":{{version}}}""";

    private static string ScimGroup(long version) =>
        $$"""{"id":"g_admins","displayName":"Admins","externalId":"00g1admins","members":["u_ada"],"version":{{version}}}""";

    private static string Webhook(bool enabled) =>
        $$"""{"url":"https://hooks.acme.example/taskee","events":["org.*","quota.*"],"description":"Sync to our CRM","enabled":{{(enabled ? "true" : "false")}}}""";
}
