using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Neruba.Infrastructure.Configuration;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Operations.CommandLine;

/// <summary>A backup that was taken and checked.</summary>
public sealed record BackupFile(string Path, long Bytes);

/// <summary>The database side of the operator command line: an online backup of the embedded file, and the DDL script a DBA applies.</summary>
public sealed class OperatorDatabase(NerubaSettings settings, TimeProvider clock)
{
    /// <summary>
    /// Copies the embedded database with SQLite's online backup (consistent while the console writes), owner-only, then opens the copy and runs
    /// <c>PRAGMA integrity_check</c> on it: a backup that would not restore is reported now, not on the day it is needed.
    /// </summary>
    public async Task<BackupFile> BackupAsync(string? to, CancellationToken cancellationToken)
    {
        if (!settings.IsEmbedded)
        {
            throw new OperatorCommandException("backup copies the embedded SQLite database; in server mode use SQL Server's own backups (BACKUP DATABASE).");
        }

        var source = new SqliteConnectionStringBuilder(settings.ConnectionString);
        if (!File.Exists(source.DataSource))
        {
            throw new OperatorCommandException($"There is no database at {source.DataSource} to back up (check Neruba:DataDirectory).");
        }

        var target = Path.GetFullPath(to ?? Path.Combine(settings.DataDirectory, "backups", $"neruba-{clock.GetUtcNow():yyyyMMdd-HHmmss}.db"));
        if (File.Exists(target))
        {
            throw new OperatorCommandException($"{target} already exists; choose another file with --to.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await using (var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source.DataSource, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        await using (var into = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString()))
        {
            await from.OpenAsync(cancellationToken);
            await into.OpenAsync(cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            from.BackupDatabase(into);
            await using var check = into.CreateCommand();
            check.CommandText = "PRAGMA integrity_check;";
            var verdict = (string?)await check.ExecuteScalarAsync(cancellationToken);
            if (!string.Equals(verdict, "ok", StringComparison.Ordinal))
            {
                throw new OperatorCommandException($"The copy at {target} failed SQLite's integrity check ({verdict}); do not rely on it.");
            }
        }

        return new BackupFile(target, new FileInfo(target).Length);
    }

    /// <summary>
    /// Every migration as one script. For SQL Server it is idempotent (each step guarded by <c>__EFMigrationsHistory</c>), so a DBA can run it on
    /// a database at any version; it needs no server to generate. SQLite's provider cannot write guarded scripts: its script is for an empty file.
    /// </summary>
    public static string MigrationsScript(string provider)
    {
        if (string.Equals(provider, DatabaseProviders.SqlServer, StringComparison.OrdinalIgnoreCase))
        {
            using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
            return db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        }

        if (string.Equals(provider, DatabaseProviders.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
            return db.GetService<IMigrator>().GenerateScript();
        }

        throw new OperatorCommandException($"--provider is '{provider}', but it must be {DatabaseProviders.SqlServer} or {DatabaseProviders.Sqlite}.");
    }
}
