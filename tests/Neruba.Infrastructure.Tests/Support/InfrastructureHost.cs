using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Neruba.Infrastructure.Startup;

namespace Neruba.Infrastructure.Tests.Support;

/// <summary>The infrastructure's real service registrations over a given configuration, without the web host.</summary>
public sealed class InfrastructureHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public CapturingLoggerProvider Logs { get; } = new();

    public TestClock Clock { get; } = new();

    public InfrastructureHost(IDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(Logs));
        services.AddSingleton<TimeProvider>(Clock);
        services.AddNerubaInfrastructure(configuration);
        _services = services.BuildServiceProvider(validateScopes: true);
    }

    public static InfrastructureHost Embedded(TempDataFolder folder, string? adminPassword = null, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Neruba:DataDirectory"] = folder.Path,
            ["Neruba:Bootstrap:AdminEmail"] = "admin@example.test",
            ["Neruba:Bootstrap:AdminPassword"] = adminPassword,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new InfrastructureHost(settings);
    }

    public IServiceProvider Services => _services;

    public Task InitializeAsync(bool seedDemo = false) =>
        _services.GetRequiredService<NerubaInitializer>().InitializeAsync(seedDemo);

    public AsyncServiceScope CreateScope() => _services.CreateAsyncScope();

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
