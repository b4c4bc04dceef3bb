using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Neruba.Domain.Access;
using Neruba.Domain.Billing;
using Neruba.Domain.Billing.Corrections;
using Neruba.Domain.Ledger;
using Neruba.Domain.Money;
using Neruba.Infrastructure.Billing.Invoices;
using Neruba.Infrastructure.Billing.Runs;
using Neruba.Infrastructure.Ledger;
using Neruba.Infrastructure.Metering;
using Neruba.Infrastructure.UseCases;

namespace Neruba.Infrastructure.Billing.Corrections;

/// <summary>A line of the voided invoice as Finance wants it on the reissue: a new amount or quantity (zero drops it), and why.</summary>
public sealed record LineAdjustmentInput(int LineIndex, string? Amount, string? Quantity, string? Reason);

public sealed record InvoiceReissued(InvoiceSummaryState Voided, InvoiceSummaryState Reissue);

/// <summary>
/// Finance voids an unpaid invoice and issues its replacement in one step: a new numbered invoice linked to the voided one, either
/// recomputed from current inputs (late events included, credit applied from the wallet as it now stands) or the voided invoice's lines
/// with the adjustments Finance entered, each with a reason.
/// </summary>
public sealed class VoidAndReissueInvoice : UseCase<VoidAndReissueInvoice.Request, InvoiceReissued>
{
    public sealed record Request(string? Invoice, string? Reason, bool Recompute, IReadOnlyList<LineAdjustmentInput>? Adjustments);

    public override AccessRule Access { get; } = new(Permission.ManageMoney);

    public override ValidationErrors Validate(Request request)
    {
        var errors = InvoiceVoiding.ValidateReason(request.Reason);
        var adjustments = request.Adjustments ?? [];
        if (!request.Recompute && adjustments.Count == 0)
        {
            errors.Add("adjustments", "Enter at least one line adjustment, or reissue it recomputed from current usage.");
        }

        if (request.Recompute && adjustments.Count > 0)
        {
            errors.Add("adjustments", "Either recompute the invoice or adjust its lines, not both.");
        }

        if (adjustments.GroupBy(a => a.LineIndex).Any(g => g.Count() > 1))
        {
            errors.Add("adjustments", "Each line can be adjusted once.");
        }

        foreach (var adjustment in adjustments.Where(a => string.IsNullOrWhiteSpace(a.Reason)))
        {
            errors.Add("adjustments", $"Line {adjustment.LineIndex + 1}: say why it changes.");
        }

        return errors;
    }

    public override async Task<UseCaseResult<InvoiceReissued>> HandleAsync(UseCaseContext context, Request request, CancellationToken cancellationToken)
    {
        var reason = request.Reason!.Trim();
        if (request.Recompute && await CorrectionSupport.FindInvoiceAsync(context, request.Invoice, cancellationToken) is { } target
            && await context.Db.Invoices.Where(i => i.SubscriptionId == target.SubscriptionId && i.PeriodStart == target.PeriodStart && i.Id != target.Id
                && i.Status != InvoiceStatus.Void).Select(i => i.Sequence).ToListAsync(cancellationToken) is { Count: > 0 } others)
        {
            // A recomputed reissue bills the whole month again; a supplemental invoice still standing would bill its part twice.
            return UseCaseResult<InvoiceReissued>.Conflict($"{string.Join(", ", others.Select(InvoiceRecord.FormatNumber))} also bill this month; void "
                + "them first (or reissue with line adjustments), so nothing is billed twice.");
        }

        var (voided, refusal, restored) = await InvoiceVoiding.VoidAsync(context, request.Invoice, reason, cancellationToken);
        if (refusal is not null)
        {
            return refusal.As<InvoiceReissued>();
        }

        var wallet = await context.Db.AccountAsync(context.ProjectId, AccountKind.CustomerWallet, voided!.Currency, voided.CustomerId, cancellationToken);
        var blocks = (await context.Db.BlockBalancesAsync(wallet.Id, cancellationToken))
            .Select(b => b with { Remaining = b.Remaining + restored.GetValueOrDefault(b.BlockId) })
            .Where(b => b.Remaining > 0 && b.CreatedAt < voided.PeriodEnd) // as rating does: only credit the customer had when the month ended
            .OrderBy(b => b.BlockId).ToList();
        InvoiceDraft draft;
        if (request.Recompute)
        {
            var subscription = await context.Db.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == voided.SubscriptionId, cancellationToken);
            var watermark = await EventWatermark.CaptureAsync(context.Db, cancellationToken);
            var input = await RatingInputLoader.LoadAsync(context.Db, subscription, BillingCalendar.Month(voided.PeriodStart), watermark, cancellationToken);
            draft = Rater.Rate(input with { Credits = blocks });
            await ClearLateUsageAsync(context, voided, watermark, cancellationToken);
        }
        else
        {
            var (adjusted, error) = Adjust(voided, request.Adjustments!, context.Actor.Name);
            if (adjusted is null)
            {
                return UseCaseResult<InvoiceReissued>.Invalid("adjustments", error!);
            }

            var subtotal = adjusted.Aggregate(0L, (sum, l) => checked(sum + l.Amount));
            if (subtotal < 0)
            {
                return UseCaseResult<InvoiceReissued>.Invalid("adjustments", "The adjusted lines add up to less than zero; an invoice cannot.");
            }

            var credits = Rater.CreditsFor(blocks, subtotal, voided.PeriodStart, voided.Currency);
            var applied = credits.Sum(c => c.Amount);
            draft = voided.Draft with { Lines = adjusted, Subtotal = subtotal, Credits = credits, CreditsApplied = applied, AmountDue = subtotal - applied };
        }

        var reissue = new InvoiceRecord
        {
            Id = Guid.NewGuid(), ProjectId = context.ProjectId, CustomerId = voided.CustomerId, SubscriptionId = voided.SubscriptionId, PeriodStart = draft.PeriodStart,
            PeriodEnd = draft.PeriodEnd, Revision = await NextRevisionAsync(context, voided, cancellationToken),
            Sequence = await InvoiceLookup.NextSequenceAsync(context.Db, context.ProjectId, cancellationToken), Status = InvoiceStatus.Finalized,
            Kind = InvoiceKind.Reissue, CorrectsInvoiceId = voided.Id, Currency = draft.Currency, Subtotal = draft.Subtotal, CreditsApplied = draft.CreditsApplied,
            AmountDue = draft.AmountDue, Draft = draft, DraftHash = draft.Hash(), RunId = voided.RunId, FinalizedAt = context.Now,
        };
        context.Db.Invoices.Add(reissue);
        voided.ReplacedByInvoiceId = reissue.Id;
        await InvoicePosting.PostAsync(context.Db, reissue, new InvoicePosting.Poster(context.Actor.Kind, context.Actor.Id, context.Actor.Name), context.Now,
            cancellationToken, restored);
        context.Audit("invoice.reissued", "invoice", reissue.Number, null, new
        {
            Replaces = voided.Number, Mode = request.Recompute ? "recomputed" : "adjusted", Invoice = CorrectionSupport.AuditState(reissue),
        }, reason);
        return UseCaseResult<InvoiceReissued>.Ok(new InvoiceReissued(InvoiceSummaryState.Of(voided), InvoiceSummaryState.Of(reissue)));
    }

    private static async Task<int> NextRevisionAsync(UseCaseContext context, InvoiceRecord invoice, CancellationToken cancellationToken) =>
        await context.Db.Invoices.Where(i => i.SubscriptionId == invoice.SubscriptionId && i.PeriodStart == invoice.PeriodStart)
            .MaxAsync(i => i.Revision, cancellationToken) + 1;

    /// <summary>The voided invoice's lines with Finance's adjustments; each changed line says who changed it, why, and what it was.</summary>
    private static (List<InvoiceLine>? Lines, string? Error) Adjust(InvoiceRecord voided, IReadOnlyList<LineAdjustmentInput> adjustments, string actorName)
    {
        var currency = Currency.Of(voided.Currency);
        var lines = voided.Draft.Lines.ToList();
        foreach (var adjustment in adjustments)
        {
            if (CorrectionSupport.Line(voided, adjustment.LineIndex) is not { } line)
            {
                return (null, $"{voided.Number} has no line {adjustment.LineIndex + 1}.");
            }

            var number = adjustment.LineIndex + 1;
            decimal quantity = line.Quantity;
            long amount;
            if (!string.IsNullOrWhiteSpace(adjustment.Quantity))
            {
                if (!CreditNoteRules.AllowsQuantity(line))
                {
                    return (null, $"Line {number} ('{line.Description}') is not priced per unit; adjust its amount.");
                }

                if (!decimal.TryParse(adjustment.Quantity, NumberStyles.Number, CultureInfo.InvariantCulture, out quantity) || quantity < 0)
                {
                    return (null, $"Line {number}: '{adjustment.Quantity}' is not a quantity of zero or more.");
                }

                amount = (long)Math.Round(quantity * line.Amount / line.Quantity, 0, MidpointRounding.AwayFromZero);
            }
            else if (MoneyAmount.TryParse(adjustment.Amount, currency, out var parsed, out var error))
            {
                if (parsed.Minor < 0)
                {
                    return (null, $"Line {number}: an amount of zero or more (zero drops the line's charge).");
                }

                amount = parsed.Minor;
            }
            else
            {
                return (null, $"Line {number}: {error}");
            }

            lines[adjustment.LineIndex] = line with
            {
                Quantity = quantity, Amount = amount,
                Explanation = $"{line.Explanation}. Adjusted on reissue by {actorName}: {adjustment.Reason!.Trim()} (was {new MoneyAmount(line.Amount, currency)})",
            };
        }

        return (lines, null);
    }

    /// <summary>The reissue counted every event up to the watermark; when it is the customer's only invoice of the month, its late events are settled.</summary>
    private static async Task ClearLateUsageAsync(UseCaseContext context, InvoiceRecord voided, long watermark, CancellationToken cancellationToken)
    {
        var siblings = await context.Db.Invoices.AnyAsync(i => i.CustomerId == voided.CustomerId && i.PeriodStart == voided.PeriodStart
            && i.SubscriptionId != voided.SubscriptionId && i.Status != InvoiceStatus.Void, cancellationToken);
        if (!siblings)
        {
            context.Db.LateUsageClearances.Add(new LateUsageClearanceRecord
            {
                Id = Guid.NewGuid(), ProjectId = context.ProjectId, CustomerId = voided.CustomerId, PeriodStart = voided.PeriodStart, Watermark = watermark,
                Source = LateUsageClearanceSource.Reissued, Reason = $"{voided.Number} voided and reissued from current usage", ActorName = context.Actor.Name,
                At = context.Now,
            });
        }
    }
}
