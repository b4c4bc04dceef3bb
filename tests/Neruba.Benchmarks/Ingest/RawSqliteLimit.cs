using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Neruba.Benchmarks.Ingest;

/// <summary>
/// The limit the ingest path is compared to, measured in the same run: the rows the console stored, inserted again
/// straight into a fresh SQLite file with the same table and indexes (WAL, synchronous FULL, one prepared statement,
/// 1,000-row transactions), without HTTP, JSON or validation.
/// </summary>
internal static class RawSqliteLimit
{
    public const int RowsPerTransaction = 1_000;

    /// <summary>Copies UsageEvents' schema from the console's database and re-inserts the rows with ids in (afterId, upToId]; returns rows/s.</summary>
    public static double Measure(string consoleDatabase, long afterId, long upToId)
    {
        var folder = Path.Combine(Path.GetTempPath(), "neruba-bench", "raw-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            using var source = new SqliteConnection($"Data Source={consoleDatabase};Mode=ReadOnly");
            source.Open();
            var ddl = Strings(source, "SELECT sql FROM sqlite_master WHERE tbl_name = 'UsageEvents' AND sql IS NOT NULL ORDER BY type DESC");
            var columns = Strings(source, "SELECT name FROM pragma_table_info('UsageEvents') WHERE name <> 'Id' ORDER BY cid");
            var rows = new List<object[]>();
            using (var read = source.CreateCommand())
            {
                read.CommandText = $"SELECT {string.Join(',', columns.Select(c => '"' + c + '"'))} FROM \"UsageEvents\" WHERE \"Id\" > {afterId} AND \"Id\" <= {upToId} ORDER BY \"Id\"";
                using var reader = read.ExecuteReader();
                while (reader.Read())
                {
                    var values = new object[columns.Count];
                    reader.GetValues(values);
                    rows.Add(values);
                }
            }

            using var target = new SqliteConnection($"Data Source={Path.Combine(folder, "raw.db")};Pooling=False");
            target.Open();
            Execute(target, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536;");
            foreach (var statement in ddl)
            {
                Execute(target, statement);
            }

            var clock = Stopwatch.StartNew();
            using var insert = target.CreateCommand();
            insert.CommandText = $"INSERT INTO \"UsageEvents\" ({string.Join(',', columns.Select(c => '"' + c + '"'))}) VALUES ({string.Join(',', columns.Select((_, i) => "$" + i))})";
            var parameters = columns.Select((_, i) => insert.Parameters.Add(new SqliteParameter("$" + i, null))).ToArray();
            for (var start = 0; start < rows.Count; start += RowsPerTransaction)
            {
                using var transaction = target.BeginTransaction();
                insert.Transaction = transaction;
                foreach (var row in rows.Skip(start).Take(RowsPerTransaction))
                {
                    for (var i = 0; i < row.Length; i++)
                    {
                        parameters[i].Value = row[i];
                    }

                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
            }

            return rows.Count / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static List<string> Strings(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
