using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Infrastructure.Configuration;

namespace Neruba.Infrastructure.Persistence;

internal static class DatabaseRegistration
{
    /// <summary>
    /// Registers the provider's context behind the provider-neutral <see cref="NerubaDbContext"/>:
    /// a scoped instance (for Identity) and a factory (for Blazor circuits and jobs, which outlive a request).
    /// </summary>
    public static IServiceCollection AddNerubaDatabase(this IServiceCollection services, NerubaSettings settings) =>
        settings.IsEmbedded
            ? services.AddProviderContext<SqliteNerubaDbContext>(o => o.UseSqlite(settings.ConnectionString)
                // SQLite rebuilds a table (outside a transaction) to change its columns. On a new file there is nothing to lose,
                // and before upgrading an existing file the initializer copies it aside (NerubaInitializer.BackUpBeforeUpgradeAsync):
                // EF's warnings about a half-applied rebuild are handled, so they do not belong in the operator's log.
                .ConfigureWarnings(w => w.Log(
                    (RelationalEventId.NonTransactionalMigrationOperationWarning, LogLevel.Debug),
                    (SqliteEventId.TableRebuildPendingWarning, LogLevel.Debug))))
            : services.AddProviderContext<SqlServerNerubaDbContext>(o => o.UseSqlServer(
                settings.ConnectionString, sql => sql.EnableRetryOnFailure()));

    private static IServiceCollection AddProviderContext<TContext>(this IServiceCollection services, Action<DbContextOptionsBuilder> configure)
        where TContext : NerubaDbContext
    {
        // Pooled: contexts are created for every API request and job step; reusing them saves most of that cost.
        services.AddPooledDbContextFactory<TContext>(configure);
        services.AddSingleton<IDbContextFactory<NerubaDbContext>, ProviderContextFactory<TContext>>();
        services.AddScoped<NerubaDbContext>(sp => sp.GetRequiredService<IDbContextFactory<NerubaDbContext>>().CreateDbContext());
        return services;
    }

    private sealed class ProviderContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<NerubaDbContext>
        where TContext : NerubaDbContext
    {
        public NerubaDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
