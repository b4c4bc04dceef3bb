using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Neruba.Infrastructure;
using Neruba.Infrastructure.Startup;

namespace Neruba.Benchmarks;

/// <summary>The real infrastructure in embedded mode on a fresh SQLite file in a temporary folder.</summary>
public sealed class BenchmarkHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private BenchmarkHost(string folder, ServiceProvider services)
    {
        Folder = folder;
        _services = services;
    }

    public string Folder { get; }

    public IServiceProvider Services => _services;

    /// <summary>Leave the data folder in place on dispose, for a console process to open next.</summary>
    public bool KeepFolder { get; set; }

    public long DatabaseBytes => Directory.GetFiles(Folder, "neruba.db*").Sum(f => new FileInfo(f).Length);

    public static async Task<BenchmarkHost> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "neruba-bench", Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Neruba:DataDirectory"] = folder,
            ["Neruba:Bootstrap:AdminPassword"] = "Benchmark-Password-1",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddNerubaInfrastructure(configuration);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<NerubaInitializer>().InitializeAsync(seedDemoRequested: true);
        return new BenchmarkHost(folder, provider);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (!KeepFolder)
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
