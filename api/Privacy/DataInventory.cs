namespace Taskee.Api.Privacy;

/// <summary>
/// One stored field that can hold personal data.
/// </summary>
/// <param name="Table">The table it is stored in.</param>
/// <param name="Column">The column, and for a JSON column the property inside it (<c>attributes.emails</c>).</param>
/// <param name="Holds">What it holds, in the words of a records-of-processing entry.</param>
/// <param name="BundleField">Where the access bundle (<see cref="AccessBundleWriter"/>) shows it (<c>section.field</c>); null for data not about a member.</param>
public sealed record PersonalDataField(
    string Table, string Column, string Holds, string Purpose, string LegalBasis, string Retention, string FlowsTo, string? BundleField);

/// <summary>
/// Every stored field that can hold personal data, with its purpose, legal basis, retention and where it flows; and
/// every other table, with why it holds none. <c>docs/privacy/data-inventory.md</c> is rendered from this
/// (<c>dotnet run --project silo -- privacy-inventory</c>), and a test fails when the schema has a table that is in
/// neither list, when a listed column does not exist, or when the checked-in document differs.
/// </summary>
public static class DataInventory
{
    // Taskee processes members' data for its customers (GDPR art. 28); the customer's basis is the contract with
    // the member (employment, art. 6(1)(b)) or its legitimate interest in securing its systems (art. 6(1)(f)).
    private const string Contract = "Processor for the organisation (art. 28); its basis: art. 6(1)(b) contract";
    private const string Security = "Processor for the organisation (art. 28); its basis: art. 6(1)(f) security and accountability";
    private const string WhileMember = "While the person is a member; deleted when removed or erased";
    private const string AuditRetention = "With the audit chain (plan retention); sealed under the person's key, unreadable once erased";

    public static readonly IReadOnlyList<PersonalDataField> Fields =
    [
        new("members", "user_id", "Member id chosen by the organisation or its directory", "Identify the member in every API and token", Contract, WhileMember, "Access tokens (sub), audit events (sealed), webhooks (as revealed events)", "member.userId"),
        new("members", "email", "Member e-mail address", "Link a sign-in (SAML, OIDC) to the member", Contract, WhileMember, "None outside the service; never logged", "member.email"),
        new("members", "role", "The member's role", "Decide what the member may do", Contract, WhileMember, "Access tokens (roles)", "member.role"),
        new("members", "added_at", "When the member was added", "Seat accounting, accountability", Contract, WhileMember, "None", "member.addedAt"),
        new("scim_users", "user_name", "Directory user name (often the e-mail)", "SCIM provisioning from the organisation's directory", Contract, WhileMember, "None", "scimUser.userName"),
        new("scim_users", "external_id", "The directory's own id of the person", "SCIM provisioning", Contract, WhileMember, "None", "scimUser.externalId"),
        new("scim_users", "attributes.name", "Given, family and formatted name", "SCIM provisioning (as the directory sends it)", Contract, WhileMember, "None", "scimUser.name"),
        new("scim_users", "attributes.displayName", "Display name", "SCIM provisioning", Contract, WhileMember, "None", "scimUser.displayName"),
        new("scim_users", "attributes.emails", "E-mail addresses", "SCIM provisioning; the primary one becomes the member's e-mail", Contract, WhileMember, "None", "scimUser.emails"),
        new("scim_users", "attributes.profile", "Enterprise attributes (employee number, department, manager, title) when the directory sends them", "SCIM provisioning", Contract, WhileMember, "None", "scimUser.profile"),
        new("scim_users", "active", "Whether the directory has the person active", "Seat accounting", Contract, WhileMember, "None", "scimUser.active"),
        new("scim_group_members", "user_id", "Which directory groups the person is in", "Roles from group membership", Contract, WhileMember, "None", "scimGroups.groupId"),
        new("refresh_families", "member_id", "A sign-in session of the member", "Refresh tokens, revocation", Security, "Until the session expires (Auth:Issuer:RefreshTokenLifetime); deleted on erasure", "None", "sessions.id"),
        new("refresh_families", "amr", "How the member signed in (saml, oidc)", "Session security", Security, "With the session", "Access tokens (amr)", "sessions.amr"),
        new("refresh_families", "created_at", "When the member signed in", "Session security", Security, "With the session", "None", "sessions.createdAt"),
        new("audit_events", "actor_id", "The person who made a change (actor kind user)", "Accountability (ISO 27001 A.8.15, NEN 7510)", Security, AuditRetention, "Audit export, live tail, webhooks: revealed or [erased]", "auditEvents.actor"),
        new("audit_events", "ip", "The address a person made a change from", "Accountability", Security, AuditRetention, "Audit export, live tail, webhooks: revealed or [erased]", "auditEvents.ip"),
        new("audit_events", "target", "The member or SCIM user a change was about", "Accountability", Security, AuditRetention, "Audit export, live tail, webhooks: revealed or [erased]", "auditEvents.target"),
        new("audit_events", "before_json", "Personal values of the member before a change (id, e-mail, name, user name, SSO subject)", "Accountability", Security, AuditRetention, "Audit export, live tail, webhooks: revealed or [erased]", "auditEvents.before"),
        new("audit_events", "after_json", "Personal values of the member after a change, and the SSO subject id and e-mail of a sign-in", "Accountability", Security, AuditRetention, "Audit export, live tail, webhooks: revealed or [erased]", "auditEvents.after"),
        new("privacy_subject_keys", "subject_id", "The member id or sign-in e-mail a person's audit key belongs to", "Find the key to destroy on erasure", Security, "Until erased (then cleared with the key)", "None", null),
        new("privacy_requests", "member_id", "Who a data-subject request is about (member id)", "Answer the person's access or erasure request (art. 15, 17)", Contract, "Erasure: cleared in the erasure's transaction; access: while the request is kept", "None", null),
        new("privacy_requests", "emails", "The e-mails of the person a request is about, resolved when filed", "Find every row and audit key of the person, even after the member row is gone", Contract, "As member_id", "None", null),
        new("api_keys", "name", "A key's name, which an admin may have named after a person", "Tell keys apart", Contract, "Until the key is deleted; renamed on erasure when it names the person", "None", "apiKeys.name"),
        new("idempotency_keys", "body", "The replayable answer of an admin mutation sent with an Idempotency-Key: adding a member repeats its e-mail", "Answer a retried request the same", Contract, "Api:IdempotencyRetention (1 day), then purged", "None", null),
        new("organisations", "billing", "The Stripe customer's billing e-mail and name, when the customer is a person", "Billing", "Controller (art. 6(1)(b) contract with the customer)", "While the organisation exists", "Stripe (source of truth)", null),
        new("stripe_events", "payload", "Stripe's event payload: the customer's e-mail, name and address as Stripe sends them", "Billing, replaying Stripe's state", "Controller (art. 6(1)(b))", "While the organisation exists", "Stripe (source)", null),
        new("webhook_endpoints", "url", "The receiver's URL, which an organisation may point at a person's own host", "Deliver the organisation's audit events", Contract, "Until the endpoint is deleted", "The receiver", null),
        new("webhook_endpoints", "description", "Free text an admin wrote; may name a person", "Tell endpoints apart", Contract, "Until the endpoint is deleted", "None", null),
        new("webhook_deliveries", "response_excerpt", "The start of the receiver's answer body: may hold anything the receiver sends back, personal data included", "Show why a delivery failed", Contract, "With the endpoint's delivery log", "None", null),
        new("webhook_deliveries", "error", "Why an attempt failed, as the network reported it", "Show why a delivery failed", Contract, "With the endpoint's delivery log", "None", null),
        new("leads", "contact_name", "A prospect's contact person's name (platform data: Taskee is controller, not an organisation member)", "Sales follow-up of an enterprise enquiry", "Controller (art. 6(1)(a) consent as recorded, art. 6(1)(b) pre-contract)", "Until the lead is closed and the sales retention ends; erased on the person's request", "CRM (HubSpot) through crm_outbox", null),
        new("leads", "contact_email", "The contact's e-mail address", "Sales follow-up", "Controller (art. 6(1)(a) consent)", "As contact_name", "CRM (HubSpot) through crm_outbox", null),
        new("leads", "contact_phone", "The contact's phone number, when given", "Sales follow-up", "Controller (art. 6(1)(a) consent)", "As contact_name", "CRM (HubSpot) through crm_outbox", null),
        new("leads", "consent_text", "The consent the contact gave, its version and when (consent_version, consent_at)", "Prove the consent (art. 7(1))", "Controller (art. 6(1)(c) accountability)", "As contact_name", "CRM (HubSpot)", null),
        new("leads", "notes", "Sales' free-text notes about the lead; may describe the contact", "Sales follow-up", "Controller (art. 6(1)(f))", "As contact_name", "None", null),
        new("import_input", "data", "The uploaded import file: members' e-mails, names and roles, billing e-mails", "Migrate existing customers into organisations (issue 15)", Contract, "Until the import ends (deleted then); an upload cut off by a crash stays until an operator deletes it (docs/import.md)", "None", null),
        new("import_rows", "reason", "Why a row was rejected; may repeat the row's e-mail", "Tell the platform admin what to fix", Contract, "With the import's report", "None", null),
        new("imports", "created_by", "The platform admin who submitted an import (staff)", "Accountability", "Controller (art. 6(1)(f))", "With the import's report", "None", null),
        new("leads", "owner", "The Taskee sales person who owns the lead (staff)", "Sales follow-up", "Controller (art. 6(1)(f))", "As contact_name", "None", null),
    ];

    /// <summary>Every other table of the schema, and why it holds no personal data.</summary>
    public static readonly IReadOnlyDictionary<string, string> TablesWithoutPersonalData = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["audit_chains"] = "chain heads: a position and a hash",
        ["audit_checkpoints"] = "where retention cut a chain: a position, a hash, a count and a time",
        ["billing_jobs"] = "when a scheduled billing job last ran",
        ["catalog_version"] = "one counter",
        ["consume_keys"] = "idempotency keys of product services' usage calls",
        ["crm_outbox"] = "hand-offs to the CRM by lead id and reason; the contact is read from the lead row when sent",
        ["lead_status_history"] = "stages a lead went through, with times",
        ["onboardings"] = "which quote and lead became which organisation",
        ["onboarding_steps"] = "an organisation's onboarding checklist",
        ["usage_history"] = "an organisation's daily usage per metric",
        ["price_books"] = "prices of the pricing calculator",
        ["quotes"] = "priced quotes by lead id: plan, seats, add-ons, totals (QuoteInput holds no contact)",
        ["data_protection_keys"] = "ASP.NET Data Protection's key ring",
        ["flags"] = "feature flags; allow and deny lists name organisations",
        ["health_samples"] = "node health figures",
        ["issuer_keys"] = "Taskee's signing keys",
        ["leases"] = "quota reservations of nodes",
        ["nodes"] = "cluster nodes",
        ["org_roles"] = "custom roles of organisations",
        ["org_saml"] = "an organisation's IdP settings",
        ["org_samples"] = "per-organisation traffic figures",
        ["org_sso"] = "an organisation's issuer and client settings",
        ["organisation_tombstones"] = "a deleted organisation's id, final chain position and hash",
        ["organisations"] = "the organisation (a company); its billing column is listed above",
        ["plans"] = "the plan catalog",
        ["quota_thresholds"] = "which usage thresholds were reached",
        ["refresh_tokens"] = "hashes of refresh tokens (their family is listed above)",
        ["saml_assertions"] = "ids of SAML assertions already used",
        ["saml_requests"] = "ids of SAML requests in flight",
        ["scim_group_roles"] = "group name to role mappings",
        ["scim_groups"] = "directory groups (names of departments and teams)",
        ["silo_stats"] = "silo figures",
        ["stripe_links"] = "which Stripe object belongs to which organisation",
        ["usage"] = "usage counters per organisation",
        ["schema_version"] = "applied migrations",
        ["OrleansQuery"] = "Orleans' ADO.NET query texts",
        ["orleans_grain_state"] = "Orleans grain state: usage reservations of organisations",
        ["orleans_membership"] = "Orleans cluster membership",
        ["orleans_membership_version"] = "Orleans cluster membership",
        ["orleans_reminders"] = "Orleans reminders of periodic jobs",
    };

    /// <summary>What the service's logs and telemetry carry: no e-mail, name, IP or SSO subject of a person.</summary>
    public const string LogsAndTelemetry =
        "Logs name organisations, member ids, key ids and request ids; never a person's e-mail, name, IP address or SSO subject. "
        + "Metrics and traces carry organisation ids and outcomes only. Lead contacts reach the CRM through crm_outbox; audit events of leads carry the lead id and answers, never the contact.";
}
