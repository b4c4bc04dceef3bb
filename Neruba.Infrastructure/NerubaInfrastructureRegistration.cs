using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.InMemory;
using Hangfire.SqlServer;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.Access.ApiKeys;
using Neruba.Infrastructure.Access.KeyRing;
using Neruba.Infrastructure.Access.SystemAdmins;
using Neruba.Infrastructure.Audit;
using Neruba.Infrastructure.Credits;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.UseCases;
using Neruba.Infrastructure.UseCases.Idempotency;
using Neruba.Infrastructure.Configuration;
using Neruba.Infrastructure.Operations;
using Neruba.Infrastructure.Payments;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.Startup;

namespace Neruba.Infrastructure;

public static class NerubaInfrastructureRegistration
{
    public const string ReadyTag = "ready";

    /// <summary>
    /// Everything behind the console: database for the configured mode, Identity stores, job server,
    /// health checks and the start-up initializer. Throws <see cref="NerubaConfigurationException"/> on bad configuration.
    /// </summary>
    public static NerubaSettings AddNerubaInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = NerubaSettings.Load(configuration);
        services.AddSingleton(settings);
        if (ShiftedClock.FromConfiguration(configuration, settings.IsEmbedded) is { } shifted)
        {
            services.TryAddSingleton<TimeProvider>(shifted);
        }

        services.TryAddSingleton(TimeProvider.System);

        services.AddNerubaDatabase(settings);
        services.AddNerubaKeyRing(KeyRingSettings.Load(configuration, settings));
        services.AddIdentity<NerubaUser, IdentityRole>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 12;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddEntityFrameworkStores<NerubaDbContext>()
            .AddDefaultTokenProviders();

        services.AddNerubaJobs(settings);
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<JobServerHealthCheck>("jobs", tags: [ReadyTag])
            .AddCheck<KeyRingHealthCheck>("keys", tags: [ReadyTag]);

        services.AddNerubaUseCases();
        services.AddNerubaPayments(configuration);
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<AccessDenials>();
        services.AddSingleton<WalletWriter>();
        services.AddSingleton<MeteringCatalog>();
        services.AddSingleton<UsageEventStore>();
        var ingestCapacity = IngestQueueCapacity(configuration);
        services.AddSingleton(sp => new IngestWriter(sp.GetRequiredService<UsageEventStore>(), sp.GetRequiredService<ILogger<IngestWriter>>(), ingestCapacity));
        services.AddSingleton<IngestService>();
        services.AddTransient<BackfillImportJob>();
        services.AddTransient<CreditExpiryJob>();
        services.AddTransient<Ledger.Integrity.LedgerIntegrity>();
        services.AddSingleton<Operations.Readiness.ReadinessSnapshots>();
        services.AddScoped<Operations.CommandLine.OperatorAccounts>();
        services.AddSingleton<Operations.CommandLine.OperatorDatabase>();
        services.AddTransient<BillingRunJob>();
        services.AddTransient<Billing.Corrections.RerunCommitJob>();
        services.AddTransient<BillingScheduler>();
        services.AddSingleton(sp => new JobLease(configuration, sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<LeaseWatchdog>();
        services.AddScoped<ProjectAccessService>();
        services.AddSingleton<SystemAdminRole>();
        services.AddScoped<UserPreferences>();
        services.AddSingleton<JobMonitor>();
        services.AddTransient<DiagnosticJob>();
        services.AddScoped<BootstrapAdmin>();
        services.AddScoped<DemoSeed>();
        services.AddScoped<DemoBillingSeed>();
        services.AddSingleton<NerubaInitializer>();
        return settings;
    }

    private static int IngestQueueCapacity(IConfiguration configuration)
    {
        var value = configuration[IngestWriter.CapacitySettingKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return IngestWriter.DefaultCapacity;
        }

        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var capacity) && capacity > 0
            ? capacity
            : throw new NerubaConfigurationException($"{IngestWriter.CapacitySettingKey} is '{value}', but it must be a whole number of events above 0 (default {IngestWriter.DefaultCapacity}).");
    }

    /// <summary>Every use case in this assembly, and the runner they all go through.</summary>
    private static void AddNerubaUseCases(this IServiceCollection services)
    {
        services.AddSingleton<UseCaseRunner>();
        services.AddSingleton<IdempotencyClaims>();
        services.AddTransient<IdempotencyPruneJob>();
        var useCases = typeof(IUseCase).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IUseCase).IsAssignableFrom(t));
        foreach (var useCase in useCases)
        {
            services.AddScoped(useCase);
        }
    }

    private static void AddNerubaJobs(this IServiceCollection services, NerubaSettings settings)
    {
        // Each app gets its own job storage and activator instead of Hangfire's process-wide
        // JobStorage.Current / JobActivator.Current, so two hosts in one process (tests) never share them.
        services.AddSingleton<JobStorage>(_ => settings.IsEmbedded
            ? new InMemoryStorage()
            : new SqlServerStorage(settings.ConnectionString, new SqlServerStorageOptions { PrepareSchemaIfNecessary = true }));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((provider, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HangfireLogProvider(provider.GetRequiredService<ILoggerFactory>())));
        services.AddHangfireServer(options => options.WorkerCount = Math.Max(4, Environment.ProcessorCount * 2));
    }
}
