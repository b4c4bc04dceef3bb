using Microsoft.Data.Sqlite;

namespace Neruba.Infrastructure.Tests.Support;

/// <summary>A fresh data folder per test, removed afterwards; the SQLite file inside it is real.</summary>
public sealed class TempDataFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "neruba-tests", Guid.NewGuid().ToString("N"));

    public string DatabaseFile => System.IO.Path.Combine(Path, "neruba.db");

    public void Dispose()
    {
        // Pooled connections keep the file open; release them before deleting.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
