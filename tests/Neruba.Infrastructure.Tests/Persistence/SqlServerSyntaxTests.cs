using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Neruba.Domain.Billing;
using Neruba.Infrastructure.Access;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Metering;

namespace Neruba.Infrastructure.Tests.Persistence;

/// <summary>
/// No SQL Server runs here, so what server mode would send it is parsed instead, with SQL Server's own T-SQL
/// parser: the idempotent DDL script, every raw statement of the SQL Server branches, and the SQL Server
/// translation of the run, ingest and ledger queries. A syntax error in server mode fails the suite.
/// </summary>
public class SqlServerSyntaxTests
{
    private static readonly Guid Id = Guid.Parse("8d3c5a56-0d4b-4c53-9d5e-3b0e3b5f2a11");
    private static readonly DateTimeOffset At = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly BillingRunRecord Rerun = new() { Id = Id, PeriodStart = At, Kind = BillingRunKind.Rerun };
    private static readonly BillingRunRecord Final = new() { Id = Id, PeriodStart = At, Kind = BillingRunKind.Manual };
    private static readonly BillingRunRecord DryRun = new() { Id = Id, PeriodStart = At, Kind = BillingRunKind.DryRun };

    private static IList<ParseError> Parse(string sql)
    {
        // SqlClient connects with QUOTED_IDENTIFIER ON, so "double-quoted" names are identifiers, as the raw statements assume.
        var parser = new TSql170Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        return errors;
    }

    private static void AssertParses(string sql, string what) =>
        Assert.True(Parse(sql).Count == 0, $"{what} is not valid T-SQL: {string.Join("; ", Parse(sql).Select(e => $"line {e.Line}: {e.Message}"))}\n{sql}");

    [Fact]
    public void The_parser_refuses_what_sql_server_would_refuse()
    {
        Assert.NotEmpty(Parse("SELECT * FROM WHERE 1 = 1"));
        Assert.NotEmpty(Parse("""INSERT INTO "UsageEvents" ("Id") VALUES (1) ON CONFLICT ("Id") DO NOTHING"""));
        Assert.NotEmpty(Parse("SELECT 1 LIMIT 5"));
    }

    [Fact]
    public void The_idempotent_ddl_script_parses()
    {
        using var db = MigrationTests.CreateOfflineSqlServerContext();
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("sp_getapplock", EventWatermark.SqlServerCaptureSql, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [UsageCutoffs]", script, StringComparison.Ordinal);
        AssertParses(script, "The idempotent migration script");
    }

    [Fact]
    public void The_raw_statements_of_the_sql_server_branches_parse()
    {
        AssertParses(UsageEventStore.SelectSql, "The ingest look-up");
        AssertParses(UsageEventStore.InsertSql, "The ingest insert");
        AssertParses(EventWatermark.SqlServerIngestLockSql, "The ingest's shared lock");
        AssertParses(EventWatermark.SqlServerCaptureSql, "The watermark capture");
        AssertParses(Infrastructure.Operations.DatabaseHealthCheck.SqlServerWriteProbe, "The readiness write probe");
    }

    [Fact]
    public void The_run_ingest_and_ledger_queries_translate_to_valid_sql_server()
    {
        using var db = MigrationTests.CreateOfflineSqlServerContext();
        var queries = new (string What, IQueryable Query)[]
        {
            ("The run's pending items", BillingRunJob.PendingItems(db, Id)),
            ("Run progress from items", BillingRunReads.ProgressQuery(db, [Id, Guid.NewGuid()])),
            ("Usage a run rates", RatingInputLoader.UsageRows(db, Id, Id, At, At.AddMonths(1), 42)),
            ("Credit blocks at the cutoff", RatingInputLoader.BlockSumsBefore(db, Id, At)),
            ("Credit blocks now", db.BlockSums(Id)),
            ("The late backlog", LateUsage.BacklogQuery(db, Id)),
            ("Invoiced months at ingest", LateUsage.InvoicedQuery(db, Id, [Id, Guid.NewGuid()], At)),
            ("The newest watermark on SQLite's path", db.UsageEvents.Where(e => e.ProjectId == Id).Select(e => (long?)e.Id)),
            ("A rerun's summary", RerunComparisonQuery.SummaryQuery(db, Rerun)),
            ("A page of a rerun's differences", RerunComparisonQuery.Ordered(RerunComparisonQuery.Rows(db, Rerun).Where(r => r.RecomputedCharges != r.BilledCharges)).Skip(50).Take(25)),
            ("A page of a final run's invoices", ListBillingRunResults.Ordered(BillingRunResultQuery.Rows(db, Final), ListBillingRunResults.SortField.Total, true).Skip(25).Take(25)),
            ("A page of a dry run's drafts", ListBillingRunResults.Ordered(BillingRunResultQuery.Rows(db, DryRun), ListBillingRunResults.SortField.Customer, false).Take(25)),
            ("A final run's totals", BillingRunResultQuery.TotalsQuery(db, Final)),
            ("A dry run's totals", BillingRunResultQuery.TotalsQuery(db, DryRun)),
            ("The customers a run skipped", BillingRunResultQuery.Skipped(db, Final).Select(x => x.CustomerId).Distinct()),
            ("The runs that billed them", BillingRunResultQuery.EarlierRunsQuery(db, Final).Take(5)),
            ("Subscriptions a run covers", BillingRunJob.SubscriptionsInScope(db, Id, null, BillingCalendar.Month(At))),
            ("Credit outstanding", GetProjectOverview.CreditsOutstanding(db, Id, At)),
        };

        foreach (var (what, query) in queries)
        {
            AssertParses(query.ToQueryString(), what);
        }
    }
}
