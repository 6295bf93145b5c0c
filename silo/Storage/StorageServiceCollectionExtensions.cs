using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Taskee.Api.Privacy;
using Taskee.Grains.Audit;
using Taskee.Grains.Storage;

namespace Taskee.Silo.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The storage provider chosen by <c>Storage:Provider</c>, its stores and the migration runner.</summary>
    public static IServiceCollection AddTaskeeStorage(this IServiceCollection services)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;

        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton(TimeProvider.System);

        services.AddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<StorageOptions>>().Value.EffectiveConnectionString));
        services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PrivacyOptions>, PrivacyOptionsValidator>();
        services.AddSingleton<SubjectKeyProtector>();
        services.AddSingleton<SqlDialect>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            SqlDialect dialect = options.Provider == StorageOptions.Postgres
                ? new PostgresDialect(sp.GetRequiredService<NpgsqlDataSource>())
                : new SqliteDialect(options.EffectiveConnectionString);
            dialect.AuditSealer = new AuditSealer(sp.GetRequiredService<SubjectKeyProtector>());
            return dialect;
        });

        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<IOrganisationStore, SqlOrganisationStore>();
        services.AddSingleton<ICatalogStore, SqlCatalogStore>();
        services.AddSingleton<IAuditStore, SqlAuditStore>();
        services.AddSingleton<IAuditRetentionStore, SqlAuditRetentionStore>();
        services.AddSingleton<IOffboardingStore, SqlOffboardingStore>();
        services.AddSingleton<IApiKeyStore, SqlApiKeyStore>();
        services.AddSingleton<IIdempotencyStore, SqlIdempotencyStore>();
        services.AddSingleton<IUsageStore, SqlUsageStore>();
        services.AddSingleton<IUsageHistoryStore, SqlUsageHistoryStore>();
        services.AddSingleton<IScimStore, SqlScimStore>();
        services.AddSingleton<IIdentityStore, SqlIdentityStore>();
        services.AddSingleton<ISamlStore, SqlSamlStore>();
        services.AddSingleton<IOpsStore, SqlOpsStore>();
        services.AddSingleton<IStripeEventStore, SqlStripeEventStore>();
        services.AddSingleton<IBillingStore, SqlBillingStore>();
        services.AddSingleton<IIssuerStore, SqlIssuerStore>();
        services.AddSingleton<IKeyRingStore, SqlKeyRingStore>();
        services.AddSingleton<IAuditRevealer, SqlAuditRevealer>();
        services.AddSingleton<IWebhookStore, SqlWebhookStore>();
        services.AddSingleton<ILeadStore, SqlLeadStore>();
        services.AddSingleton<IPriceBookStore, SqlPriceBookStore>();
        services.AddSingleton<IQuoteStore, SqlQuoteStore>();
        services.AddSingleton<IOnboardingStore, SqlOnboardingStore>();
        services.AddSingleton<IWebhookDeliveryStore, SqlWebhookDeliveryStore>();
        services.AddSingleton<IPrivacyRequestStore, SqlPrivacyRequestStore>();
        services.AddSingleton<IImportStore, SqlImportStore>();
        return services;
    }
}
