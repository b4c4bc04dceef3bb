using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Ledger;
using Neruba.Infrastructure.Persistence;

namespace Neruba.Infrastructure.Ledger.Integrity;

/// <summary>Who asked for a check, as the record and the readiness page say it.</summary>
public static class LedgerIntegrityTriggers
{
    public const string Schedule = "schedule";
    public const string Console = "console";
    public const string Api = "api";
    public const string CommandLine = "command line";
}

/// <summary>What one check of one project found (the problems in full up to the rules' limit; the record keeps the first 200).</summary>
public sealed record LedgerIntegrityResult(LedgerIntegrityCheckRecord Record, IReadOnlyList<LedgerProblem> Problems)
{
    public bool Passed => Record.Status == LedgerIntegrityStatus.Passed;
}

/// <summary>
/// Runs every integrity rule over one project's ledger and adds the check's record to <paramref name="db"/> (the caller saves): a failing rule
/// does not stop the others, so one run names every kind of problem at once.
/// </summary>
public static class LedgerIntegrityCheck
{
    /// <summary>Problems read per rule: enough to act on, bounded so a badly broken ledger cannot exhaust memory.</summary>
    public const int ProblemsPerRule = LedgerIntegrityCheckRecord.MaxProblemsKept;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<LedgerIntegrityResult> RunAsync(NerubaDbContext db, Guid projectId, string trigger, string requestedByName,
        Func<DateTimeOffset> now, CancellationToken cancellationToken)
    {
        var record = new LedgerIntegrityCheckRecord
        {
            Id = Guid.NewGuid(),
            ProjectId = projectId,
            StartedAt = now(),
            Trigger = trigger,
            RequestedByName = requestedByName,
        };
        var problems = new List<LedgerProblem>();
        try
        {
            problems.AddRange(await LedgerIntegrityRules.UnbalancedEntriesAsync(db, projectId, ProblemsPerRule, cancellationToken));
            problems.AddRange(await LedgerIntegrityRules.PostingAccountMismatchesAsync(db, projectId, ProblemsPerRule, cancellationToken));
            problems.AddRange(await LedgerIntegrityRules.WalletPostingsWithoutBlockAsync(db, projectId, ProblemsPerRule, cancellationToken));
            problems.AddRange(await LedgerIntegrityRules.BlocksOutOfRangeAsync(db, projectId, ProblemsPerRule, cancellationToken));
            problems.AddRange(await LedgerIntegrityRules.InvoicePostingsAsync(db, projectId, ProblemsPerRule, cancellationToken));
            record.EntriesChecked = await db.JournalEntries.CountAsync(e => e.ProjectId == projectId, cancellationToken);
            record.WalletsChecked = await db.LedgerAccounts.CountAsync(a => a.ProjectId == projectId && a.Kind == AccountKind.CustomerWallet, cancellationToken);
            record.InvoicesChecked = await db.Invoices.CountAsync(i => i.ProjectId == projectId, cancellationToken);
            record.Status = problems.Count == 0 ? LedgerIntegrityStatus.Passed : LedgerIntegrityStatus.Failed;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The check could not finish: that says nothing about the ledger, so it is recorded apart from a failure.
            record.Status = LedgerIntegrityStatus.Errored;
            record.Error = Clip(exception.Message, 2000);
        }

        record.FinishedAt = now();
        record.ProblemCount = problems.Count;
        record.ProblemsJson = JsonSerializer.Serialize(problems.Take(LedgerIntegrityCheckRecord.MaxProblemsKept), Json);
        db.LedgerIntegrityChecks.Add(record);
        return new LedgerIntegrityResult(record, problems);
    }

    /// <summary>The problems a stored check kept.</summary>
    public static IReadOnlyList<LedgerProblem> ProblemsOf(LedgerIntegrityCheckRecord record) =>
        JsonSerializer.Deserialize<List<LedgerProblem>>(record.ProblemsJson, Json) ?? [];

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];
}
