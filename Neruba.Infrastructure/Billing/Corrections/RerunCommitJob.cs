using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Neruba.Domain.Audit;
using Neruba.Domain.Billing;
using Neruba.Domain.Billing.Corrections;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.Persistence;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Billing.Corrections;

/// <summary>
/// Issues a committed rerun's corrections as a Hangfire job: per changed subscription, in its own transaction, a supplemental invoice for an
/// increase or credit notes for a decrease (reducing what is due, the rest to the wallet), and the item marked done in the same save. Safe to
/// run again at any point: done items are skipped, and a credit note is unique per (rerun, invoice). At the end the late events the rerun
/// counted leave the backlog.
/// </summary>
public sealed partial class RerunCommitJob(IDbContextFactory<NerubaDbContext> dbFactory, TimeProvider clock, ILogger<RerunCommitJob> logger)
{
    private const int MaxAttemptsPerItem = 5;

    public async Task RunAsync(Guid commitId, CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var started = await db.RerunCommits.Where(c => c.Id == commitId
                    && (c.Status == RerunCommitStatus.Queued || c.Status == RerunCommitStatus.Running || c.Status == RerunCommitStatus.CompletedWithFailures))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, RerunCommitStatus.Running).SetProperty(c => c.StartedAt, clock.GetUtcNow()), cancellationToken);
            if (started == 0)
            {
                return; // rejected, still waiting for approval, or already finished
            }
        }

        List<Guid> pending;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            pending = await db.RerunCommitItems.AsNoTracking().Where(i => i.CommitId == commitId && i.Status == RerunCommitItemStatus.Pending)
                .OrderBy(i => i.Position).Select(i => i.Id).ToListAsync(cancellationToken);
        }

        foreach (var itemId in pending)
        {
            await CorrectWithRetriesAsync(commitId, itemId, cancellationToken);
        }

        await FinishAsync(commitId, cancellationToken);
    }

    private async Task CorrectWithRetriesAsync(Guid commitId, Guid itemId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await CorrectAsync(commitId, itemId, cancellationToken);
                return;
            }
            catch (Exception exception) when (attempt < MaxAttemptsPerItem && WalletWriter.IsLostRace(exception))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogItemFailed(logger, exception, commitId, itemId);
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                var message = exception.Message.Length > RerunCommitItemRecord.MaxErrorLength ? exception.Message[..RerunCommitItemRecord.MaxErrorLength] : exception.Message;
                await db.RerunCommitItems.Where(i => i.Id == itemId && i.Status == RerunCommitItemStatus.Pending)
                    .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, RerunCommitItemStatus.Failed).SetProperty(i => i.Error, message)
                        .SetProperty(i => i.FinishedAt, clock.GetUtcNow()), cancellationToken);
                return;
            }
        }
    }

    private async Task CorrectAsync(Guid commitId, Guid itemId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var item = await db.RerunCommitItems.SingleAsync(i => i.Id == itemId, cancellationToken);
        if (item.Status != RerunCommitItemStatus.Pending)
        {
            return;
        }

        var commit = await db.RerunCommits.AsNoTracking().SingleAsync(c => c.Id == commitId, cancellationToken);
        var now = clock.GetUtcNow();
        var draftJson = await db.BillingRunItems.AsNoTracking().Where(i => i.RunId == commit.RunId && i.SubscriptionId == item.SubscriptionId)
            .Select(i => i.DraftJson).SingleAsync(cancellationToken);
        var draft = InvoiceDraft.FromCanonicalJson(draftJson!);
        var month = (await BilledMonth.LoadAsync(db, [item.SubscriptionId], commit.PeriodStart, tracked: true, cancellationToken)).GetValueOrDefault(item.SubscriptionId)
            ?? throw new InvalidOperationException("The month has no invoice left that is not void; nothing to correct against.");
        var billed = month.Invoices.ToList();

        // Measured again now, against what is billed at this moment: a correction made since the proposal is never made twice.
        var difference = RerunDifference.Of(draft, month);
        if (difference != item.Difference)
        {
            // What was proposed (and approved) is what may be issued: a month corrected since is left for a new rerun and a new decision.
            throw new InvalidOperationException($"This month changed since the commit was proposed: the difference was "
                + $"{CorrectionSupport.Show(item.Difference, item.Currency)}, it is now {CorrectionSupport.Show(difference, item.Currency)}. Nothing was issued; "
                + "rerun the month and propose again.");
        }

        var lines = RerunDifference.Lines(draft, month, now);
        if (difference > 0)
        {
            item.SupplementalInvoiceId = await SupplementAsync(db, commit, billed, draft, lines, difference, now, cancellationToken);
        }
        else if (difference < 0)
        {
            item.CreditNotes = await CreditAsync(db, commit, billed, lines, -difference, now, cancellationToken);
        }

        item.Status = RerunCommitItemStatus.Done;
        item.FinishedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<Guid> SupplementAsync(NerubaDbContext db, RerunCommitRecord commit, List<InvoiceRecord> billed, InvoiceDraft draft,
        List<InvoiceLine> lines, long difference, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var original = billed[0];
        var supplemental = new InvoiceRecord
        {
            Id = Guid.NewGuid(), ProjectId = original.ProjectId, CustomerId = original.CustomerId, SubscriptionId = original.SubscriptionId,
            PeriodStart = original.PeriodStart, PeriodEnd = original.PeriodEnd,
            Revision = await db.Invoices.Where(i => i.SubscriptionId == original.SubscriptionId && i.PeriodStart == original.PeriodStart)
                .MaxAsync(i => i.Revision, cancellationToken) + 1,
            Sequence = await InvoiceLookup.NextSequenceAsync(db, original.ProjectId, cancellationToken), Status = InvoiceStatus.Finalized,
            Kind = InvoiceKind.Supplemental, CorrectsInvoiceId = original.Id, RerunId = commit.RunId, Currency = draft.Currency, Subtotal = difference,
            CreditsApplied = 0, AmountDue = difference, RunId = commit.RunId, FinalizedAt = now,
            Draft = new InvoiceDraft(original.SubscriptionId, original.CustomerId, draft.Currency, draft.PeriodStart, draft.PeriodEnd, lines, difference, [], 0, difference),
        };
        supplemental.DraftHash = supplemental.Draft.Hash();
        db.Invoices.Add(supplemental);
        await InvoicePosting.PostAsync(db, supplemental, new InvoicePosting.Poster(ActorKind.System, "rerun-commit", Committer(commit)), now, cancellationToken);
        db.AuditEntries.Add(UseCaseContext.CreateAuditEntry(SystemActor(commit), "invoice.supplemental_issued", AuditOutcome.Succeeded, "invoice",
            supplemental.Number, null, new { supplemental.Number, Supplements = original.Number, supplemental.Currency, supplemental.Subtotal, Rerun = commit.RunId },
            Approval(commit), now, $"rerun-commit:{commit.Id}"));
        return supplemental.Id;
    }

    /// <summary>Credits the decrease on the month's invoices, newest first, each up to what it has left to credit; one note per (rerun, invoice).</summary>
    private static async Task<int> CreditAsync(NerubaDbContext db, RerunCommitRecord commit, List<InvoiceRecord> billed, List<InvoiceLine> lines, long decrease,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var creditable = billed.Sum(i => i.Subtotal - i.CreditedTotal);
        if (creditable < decrease)
        {
            // Credit notes issued by hand already gave back part of it: issuing less than the rerun says would hide the difference.
            throw new InvalidOperationException($"The rerun lowers the month by {CorrectionSupport.Show(decrease, billed[0].Currency)}, but only "
                + $"{CorrectionSupport.Show(creditable, billed[0].Currency)} of its invoices is left to credit (credit notes issued by hand took the rest). "
                + "Review the invoices and correct the remainder by hand.");
        }

        var issued = 0;
        var left = decrease;
        foreach (var invoice in Enumerable.Reverse(billed).Where(i => i.Subtotal - i.CreditedTotal > 0))
        {
            if (left == 0)
            {
                break;
            }

            var amount = Math.Min(left, invoice.Subtotal - invoice.CreditedTotal);
            var issueKey = $"rerun:{commit.RunId:N}:{invoice.Id:N}";
            left -= amount;
            if (await db.CreditNotes.AnyAsync(n => n.ProjectId == invoice.ProjectId && n.IssueKey == issueKey, cancellationToken))
            {
                continue;
            }

            var noteLines = amount == decrease
                ? lines.Select((l, index) => new CreditNoteLine(null, l.Description, l.Quantity == 0 ? null : -l.Quantity, -l.Amount, l.Explanation)).ToList()
                : [new CreditNoteLine(null, "Part of the rerun's decrease", null, amount, $"The rerun's decrease is spread over the month's invoices; this is {invoice.Number}'s part")];
            var allocation = CreditNoteRules.Allocate(CorrectionSupport.Creditable(invoice), amount, 0, out var refusal)
                ?? throw new InvalidOperationException(refusal);
            var note = await CreditNoteIssuer.IssueAsync(db, invoice, noteLines, allocation, CreditNoteReasons.RerunCorrection,
                $"Rerun of {commit.PeriodStart:yyyy-MM} committed: the recomputed charges are lower", new Issuer(ActorKind.System, "rerun-commit", commit.ProposedById,
                    Committer(commit), commit.DecidedByName), now, issueKey, commit.RunId, cancellationToken);
            db.AuditEntries.Add(UseCaseContext.CreateAuditEntry(SystemActor(commit), "credit_note.issued", AuditOutcome.Succeeded, "invoice", invoice.Number, null,
                new { CreditNote = note.Number, note.Currency, note.Total, note.ToDue, note.ToWallet, Rerun = commit.RunId }, Approval(commit), now,
                $"rerun-commit:{commit.Id}"));
            issued++;
        }

        return issued;
    }

    /// <summary>Marks the commit finished and settles the late events the rerun counted for every customer it corrected (or found unchanged).</summary>
    private async Task FinishAsync(Guid commitId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var commit = await db.RerunCommits.SingleAsync(c => c.Id == commitId, cancellationToken);
        var run = await db.BillingRuns.AsNoTracking().SingleAsync(r => r.Id == commit.RunId, cancellationToken);
        var failedCustomers = await db.RerunCommitItems.Where(i => i.CommitId == commitId && i.Status == RerunCommitItemStatus.Failed)
            .Select(i => i.CustomerId).Distinct().ToListAsync(cancellationToken);
        var customers = await db.BillingRunItems.AsNoTracking().Where(i => i.RunId == run.Id && i.Status == BillingRunItemStatus.Done)
            .Select(i => i.CustomerId).Distinct().ToListAsync(cancellationToken);
        var cleared = await db.LateUsageClearances.AsNoTracking().Where(c => c.RunId == run.Id).Select(c => c.CustomerId).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var customerId in customers.Except(failedCustomers).Except(cleared))
        {
            db.LateUsageClearances.Add(new LateUsageClearanceRecord
            {
                Id = Guid.NewGuid(), ProjectId = run.ProjectId, CustomerId = customerId, PeriodStart = run.PeriodStart, Watermark = run.EventWatermark,
                Source = LateUsageClearanceSource.RerunCommit, RunId = run.Id, Reason = "Rerun committed", ActorName = Committer(commit), At = now,
            });
        }

        commit.Status = failedCustomers.Count == 0 ? RerunCommitStatus.Succeeded : RerunCommitStatus.CompletedWithFailures;
        commit.FinishedAt = now;
        commit.Version++;
        db.AuditEntries.Add(UseCaseContext.CreateAuditEntry(SystemActor(commit), "rerun.commit_finished", AuditOutcome.Succeeded, "billing_run", run.Id.ToString(),
            null, new { commit.Status, commit.Total, Failed = failedCustomers.Count }, Approval(commit), now, $"rerun-commit:{commit.Id}"));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static string Committer(RerunCommitRecord commit) => $"{commit.ProposedByName} (rerun commit)";

    private static string Approval(RerunCommitRecord commit) =>
        $"Proposed by {commit.ProposedByName}" + (commit.DecidedByName is { } approver ? $", approved by {approver}" : " (within the correction threshold)");

    private static Actor SystemActor(RerunCommitRecord commit) =>
        new(ActorKind.System, "rerun-commit", Committer(commit), commit.ProjectId, new HashSet<string>());

    [LoggerMessage(Level = LogLevel.Error, Message = "Rerun commit {CommitId}: item {ItemId} failed.")]
    private static partial void LogItemFailed(ILogger logger, Exception exception, Guid commitId, Guid itemId);
}
